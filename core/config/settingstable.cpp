#include "config/settingstable.h"

#include <cmath>

#include <QFileInfo>

#include "config/appconfig.h"
#include "net/networkoptions.h"

using namespace Qt::StringLiterals;

namespace {

using S = SettingSpec;
using T = SettingSpec::Type;
using G = SettingSpec::Group;

bool validProxy(const QString &value, QString *why)
{
    NetworkOptions options;
    return NetworkOptions::parseProxy(value, &options, why);
}

bool validCaFile(const QString &value, QString *why)
{
    NetworkOptions options;
    options.extraCaFile = value;
    QString error;
    options.sslConfiguration(&error);
    if (error.isEmpty())
        return true;
    *why = error;
    return false;
}

// The table. Order is display order within a group; a row's defaultFrom must name an earlier row.
const QList<SettingSpec> &table()
{
    static const QList<SettingSpec> rows = {
        // Feishu
        {.key = "FEISHU_APP_ID",
         .group = G::Feishu,
         .help = QT_TRANSLATE_NOOP("Settings", "App ID of the Feishu/Lark app (cli_...)."),
         .field = &AppConfig::appId},
        {.key = "FEISHU_APP_SECRET",
         .group = G::Feishu,
         .help = QT_TRANSLATE_NOOP("Settings", "App secret of the Feishu/Lark app."),
         .secret = true,
         .field = &AppConfig::appSecret},
        {.key = "FEISHU_DOMAIN",
         .type = T::Url,
         .group = G::Feishu,
         .defaultValue = "https://open.feishu.cn",
         .aliases = "feishu=https://open.feishu.cn;lark=https://open.larksuite.com",
         .help = QT_TRANSLATE_NOOP(
             "Settings", "Open platform base URL: https://open.feishu.cn, https://open.larksuite.com "
                         "(or feishu, lark), or a test server."),
         .onInvalid = S::OnInvalid::Fatal,
         .field = &AppConfig::feishuDomain},
        {.key = "FEISHU_PROXY",
         .group = G::Feishu,
         .defaultValue = "system",
         .help = QT_TRANSLATE_NOOP("Settings",
                                   "Proxy for every outbound connection (Feishu, LLM, embeddings): system, "
                                   "none, http://host:port or socks5://host:port."),
         .onInvalid = S::OnInvalid::Fatal,
         .field = &AppConfig::proxy,
         .validate = &validProxy},
        {.key = "FEISHU_CA_FILE",
         .type = T::Path,
         .group = G::Feishu,
         .help = QT_TRANSLATE_NOOP("Settings",
                                   "Extra CA certificates (PEM file) for intranets that inspect TLS."),
         .onInvalid = S::OnInvalid::Fatal,
         .field = &AppConfig::caFile,
         .validate = &validCaFile},
        // Assistant
        {.key = "LLM_PROVIDER",
         .type = T::Choice,
         .group = G::Assistant,
         .choices = "qwen,openai,deepseek,ollama,custom,none",
         .help = QT_TRANSLATE_NOOP("Settings",
                                   "The LLM service. Empty or none: answers come from the knowledge base "
                                   "alone (qwen when only LLM_API_KEY is set)."),
         .onInvalid = S::OnInvalid::Fatal,
         .field = &AppConfig::llmProvider},
        {.key = "LLM_API_KEY",
         .group = G::Assistant,
         .help = QT_TRANSLATE_NOOP("Settings", "API key of the LLM service (not needed for ollama)."),
         .secret = true,
         .field = &AppConfig::llmApiKey},
        {.key = "LLM_BASE_URL",
         .group = G::Assistant,
         .help = QT_TRANSLATE_NOOP("Settings",
                                   "The .../v1 base of an OpenAI-compatible API; empty takes the provider's "
                                   "preset."),
         .field = &AppConfig::llmBaseUrl},
        {.key = "LLM_MODEL",
         .group = G::Assistant,
         .help = QT_TRANSLATE_NOOP("Settings", "Model name; empty takes the provider's preset."),
         .field = &AppConfig::llmModel},
        {.key = "LLM_TEMPERATURE",
         .type = T::Decimal,
         .group = G::Assistant,
         .defaultValue = "0.3",
         .minimum = 0,
         .maximum = 2,
         .help = QT_TRANSLATE_NOOP("Settings", "Sampling temperature of the answers."),
         .field = &AppConfig::llmTemperature},
        {.key = "LLM_MAX_TOKENS",
         .type = T::Integer,
         .group = G::Assistant,
         .defaultValue = "1024",
         .minimum = 1,
         .maximum = 1000000,
         .help = QT_TRANSLATE_NOOP("Settings", "Longest answer, in tokens."),
         .field = &AppConfig::llmMaxTokens},
        {.key = "LLM_TIMEOUT_MS",
         .type = T::Integer,
         .group = G::Assistant,
         .defaultValue = "60000",
         .minimum = 100,
         .maximum = 3600000,
         .help = QT_TRANSLATE_NOOP("Settings",
                                   "Time for one LLM attempt, in milliseconds; after it the answer comes "
                                   "from the knowledge base."),
         .field = &AppConfig::llmTimeoutMs},
        {.key = "LLM_RETRIES",
         .type = T::Integer,
         .group = G::Assistant,
         .defaultValue = "2",
         .minimum = 0,
         .maximum = 10,
         .help = QT_TRANSLATE_NOOP("Settings", "Extra LLM attempts after a network error, 5xx or 429."),
         .field = &AppConfig::llmRetries},
        {.key = "LLM_STREAM",
         .type = T::Boolean,
         .group = G::Assistant,
         .defaultValue = "true",
         .help = QT_TRANSLATE_NOOP("Settings", "Stream answers from the LLM (drafts grow as they arrive)."),
         .field = &AppConfig::llmStream},
        {.key = "EMBEDDING_BASE_URL",
         .group = G::Assistant,
         .help = QT_TRANSLATE_NOOP("Settings",
                                   "The .../v1 base of an OpenAI-compatible embeddings API; empty: keyword "
                                   "search only."),
         .field = &AppConfig::embeddingBaseUrl},
        {.key = "EMBEDDING_API_KEY",
         .group = G::Assistant,
         .defaultFrom = "LLM_API_KEY",
         .help = QT_TRANSLATE_NOOP("Settings", "API key of the embeddings API (default: LLM_API_KEY)."),
         .secret = true,
         .field = &AppConfig::embeddingApiKey},
        {.key = "EMBEDDING_MODEL",
         .group = G::Assistant,
         .defaultValue = "text-embedding-v3",
         .help = QT_TRANSLATE_NOOP("Settings", "Embedding model name."),
         .field = &AppConfig::embeddingModel},
        {.key = "EMBEDDING_TIMEOUT_MS",
         .type = T::Integer,
         .group = G::Assistant,
         .defaultValue = "5000",
         .minimum = 100,
         .maximum = 600000,
         .help = QT_TRANSLATE_NOOP("Settings",
                                   "Time for one embeddings request, in milliseconds; after it the search "
                                   "ranks by keywords alone."),
         .field = &AppConfig::embeddingTimeoutMs},
        {.key = "EMBEDDING_DIMENSIONS",
         .type = T::Integer,
         .group = G::Assistant,
         .defaultValue = "0",
         .minimum = 0,
         .maximum = 16384,
         .help = QT_TRANSLATE_NOOP("Settings",
                                   "Vector size asked of the embeddings API; 0 takes the model's own."),
         .field = &AppConfig::embeddingDimensions},
        {.key = "HISTORY_TURNS",
         .type = T::Integer,
         .group = G::Assistant,
         .defaultValue = "8",
         .minimum = 0,
         .maximum = 50,
         .help = QT_TRANSLATE_NOOP("Settings",
                                   "History window: how many earlier turns of the conversation the LLM is "
                                   "given with a question (0: the question alone)."),
         .field = &AppConfig::historyTurns},
        // Sessions
        {.key = "BITABLE_APP_TOKEN",
         .group = G::Feishu,
         .help = QT_TRANSLATE_NOOP(
             "Settings",
             "The app_token of the Feishu Base (多维表格) that tickets sync with; empty: no sync."),
         .secret = true,
         .field = &AppConfig::bitableAppToken},
        {.key = "BITABLE_TABLE_ID",
         .group = G::Feishu,
         .help = QT_TRANSLATE_NOOP("Settings", "The table (tbl...) in that Base that holds the tickets."),
         .field = &AppConfig::bitableTableId},
        {.key = "TICKETS_SYNC_MINUTES",
         .type = T::Integer,
         .group = G::Feishu,
         .defaultValue = "10",
         .minimum = 0,
         .maximum = 1440,
         .help = QT_TRANSLATE_NOOP("Settings",
                                   "Minutes between two ticket syncs with the Base (0: only on request)."),
         .field = &AppConfig::ticketSyncMinutes},
        {.key = "TICKETS_AUTO_ON_ESCALATION",
         .type = T::Boolean,
         .group = G::Sessions,
         .defaultValue = "false",
         .help = QT_TRANSLATE_NOOP("Settings", "Open a ticket for every conversation handed to a person."),
         .field = &AppConfig::ticketOnEscalation},
        {.key = "TICKETS_FIELD_MAP",
         .group = G::Feishu,
         .help = QT_TRANSLATE_NOOP(
             "Settings", "JSON that renames the Base's ticket fields, e.g. {\"title\":\"工单标题\"}; "
                         "empty: the default names."),
         .field = &AppConfig::ticketFieldMap},
        {.key = "SESSION_IDLE_MINUTES",
         .type = T::Integer,
         .group = G::Sessions,
         .defaultValue = "30",
         .minimum = 1,
         .maximum = 10080,
         .help = QT_TRANSLATE_NOOP("Settings", "A conversation quiet this long starts afresh."),
         .field = &AppConfig::sessionIdleMinutes},
        {.key = "DEFAULT_MODE",
         .type = T::Choice,
         .group = G::Sessions,
         .defaultValue = "auto",
         .choices = "auto,review,manual",
         .help = QT_TRANSLATE_NOOP("Settings",
                                   "Mode of new conversations: auto (the bot answers), review (an operator "
                                   "approves drafts), manual (operators answer)."),
         .field = &AppConfig::defaultMode},
        {.key = "DRAFT_TIMEOUT_SECONDS",
         .type = T::Integer,
         .group = G::Sessions,
         .defaultValue = "0",
         .minimum = 0,
         .maximum = 86400,
         .help = QT_TRANSLATE_NOOP("Settings",
                                   "Review mode: how long a draft waits for an operator, in seconds, before "
                                   "DRAFT_TIMEOUT_POLICY applies (0: it waits for ever)."),
         .field = &AppConfig::draftTimeoutSeconds},
        {.key = "DRAFT_TIMEOUT_POLICY",
         .type = T::Choice,
         .group = G::Sessions,
         .defaultValue = "handoff",
         .choices = "send,handoff",
         .help = QT_TRANSLATE_NOOP("Settings",
                                   "What happens to a draft nobody decided in time: send (sent as the bot "
                                   "wrote it) or handoff (the customer is told a person takes over, and the "
                                   "conversation goes to manual)."),
         .field = &AppConfig::draftTimeoutPolicy},
        {.key = "DATABASE_URL",
         .group = G::Sessions,
         .defaultValue = "sqlite:///{data-dir}/tsp-assistant.db",
         .help = QT_TRANSLATE_NOOP("Settings",
                                   "Where conversations and knowledge are stored: sqlite:///relative.db, "
                                   "sqlite:////abs/path.db or postgresql://user:pass@host:port/db."),
         .field = &AppConfig::databaseUrl},
        // Interface
        {.key = "UI_LANGUAGE",
         .type = T::Choice,
         .group = G::Interface,
         .defaultValue = "system",
         .choices = "system,zh_CN,en",
         .aliases = "zh=zh_CN;chinese=zh_CN;english=en",
         .help = QT_TRANSLATE_NOOP("Settings",
                                   "Language of the console: system (follow the system), zh_CN (中文) or "
                                   "en (English). Applies at the next start."),
         .field = &AppConfig::uiLanguage},
        {.key = "START_MINIMIZED",
         .type = T::Boolean,
         .group = G::Interface,
         .defaultValue = "false",
         .help = QT_TRANSLATE_NOOP("Settings",
                                   "Start the console hidden in the tray (minimized when there is no tray); "
                                   "the bot runs all the same."),
         .field = &AppConfig::startMinimized},
        // Logging
        {.key = "LOG_LEVEL",
         .type = T::Choice,
         .group = G::Logging,
         .defaultValue = "INFO",
         .choices = "DEBUG,INFO,WARNING,ERROR",
         .aliases = "warn=WARNING",
         .help = QT_TRANSLATE_NOOP("Settings", "Least severe message that is logged."),
         .onInvalid = S::OnInvalid::Fatal,
         .field = &AppConfig::logLevel},
        {.key = "LOG_FILE",
         .group = G::Logging,
         .defaultValue = "{data-dir}/logs/tsp-assistant.log",
         .help = QT_TRANSLATE_NOOP("Settings",
                                   "The log file (its folder is created); relative paths are taken from the "
                                   "data dir."),
         .field = &AppConfig::logFile},
    };
    return rows;
}

QString number(double v)
{
    return QString::number(v, 'g', 12);
}

} // namespace

QStringList SettingSpec::choiceList() const
{
    return QString::fromLatin1(choices).split(u',', Qt::SkipEmptyParts);
}

const QList<SettingSpec> &SettingsTable::all()
{
    return table();
}

const SettingSpec *SettingsTable::find(QStringView key)
{
    for (const SettingSpec &s : table()) {
        if (key == QLatin1StringView(s.key))
            return &s;
    }
    return nullptr;
}

QStringList SettingsTable::keys()
{
    QStringList k;
    for (const SettingSpec &s : table())
        k << s.name();
    return k;
}

QList<SettingSpec::Group> SettingsTable::groups()
{
    return {G::Feishu, G::Assistant, G::Sessions, G::Interface, G::Logging};
}

QString SettingsTable::groupName(SettingSpec::Group group)
{
    switch (group) {
    case G::Feishu:
        return u"Feishu"_s;
    case G::Assistant:
        return u"Assistant"_s;
    case G::Sessions:
        return u"Sessions"_s;
    case G::Interface:
        return u"Interface"_s;
    case G::Logging:
        return u"Logging"_s;
    }
    return {};
}

QString SettingsTable::defaultText(const SettingSpec &spec, const QString &dataDir)
{
    if (spec.defaultFrom)
        return u"the value of %1"_s.arg(QLatin1StringView(spec.defaultFrom));
    QString d = QString::fromLatin1(spec.defaultValue);
    if (!dataDir.isEmpty())
        d.replace(u"{data-dir}"_s, dataDir);
    return d;
}

QString SettingsTable::acceptedText(const SettingSpec &spec)
{
    switch (spec.type) {
    case T::Text:
        return u"text"_s;
    case T::Url:
        return u"an http(s) URL"_s;
    case T::Path:
        return u"a readable file"_s;
    case T::Integer:
        return u"a whole number from %1 to %2"_s.arg(number(spec.minimum), number(spec.maximum));
    case T::Decimal:
        return u"a number from %1 to %2"_s.arg(number(spec.minimum), number(spec.maximum));
    case T::Boolean:
        return u"true or false"_s;
    case T::Choice:
        return u"one of %1"_s.arg(spec.choiceList().join(u", "_s));
    }
    return {};
}

bool SettingsTable::parseBool(const QString &text, bool *value)
{
    const QString t = text.trimmed().toLower();
    if (t == "1"_L1 || t == "true"_L1 || t == "yes"_L1 || t == "on"_L1) {
        *value = true;
        return true;
    }
    if (t == "0"_L1 || t == "false"_L1 || t == "no"_L1 || t == "off"_L1) {
        *value = false;
        return true;
    }
    return false;
}

bool SettingsTable::check(const SettingSpec &spec, const QString &value, QString *normalized, QString *error)
{
    QString v = value.trimmed();
    for (const QString &pair : QString::fromLatin1(spec.aliases).split(u';', Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.indexOf(u'=');
        if (eq > 0 && v.compare(pair.left(eq), Qt::CaseInsensitive) == 0) {
            v = pair.mid(eq + 1);
            break;
        }
    }
    const QString shown = spec.secret ? u"<secret>"_s : v;
    auto fail = [&](const QString &what) {
        *error = u"%1 must be %2 (got \"%3\")"_s.arg(spec.name(), what, shown);
        return false;
    };
    switch (spec.type) {
    case T::Text:
        break;
    case T::Url: {
        while (v.endsWith(u'/'))
            v.chop(1);
        const QUrl url(v, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() ||
            (url.scheme() != "https"_L1 && url.scheme() != "http"_L1)) {
            const QString example = QString::fromLatin1(spec.defaultValue);
            return fail(example.isEmpty() ? acceptedText(spec) : u"an http(s) URL such as %1"_s.arg(example));
        }
        break;
    }
    case T::Path:
        if (!v.isEmpty() && !QFileInfo(v).isReadable())
            return fail(u"a readable file"_s);
        break;
    case T::Integer: {
        bool ok = false;
        const qlonglong n = v.toLongLong(&ok);
        if (!ok || double(n) < spec.minimum || double(n) > spec.maximum)
            return fail(acceptedText(spec));
        v = QString::number(n);
        break;
    }
    case T::Decimal: {
        bool ok = false;
        const double d = v.toDouble(&ok);
        if (!ok || !std::isfinite(d) || d < spec.minimum || d > spec.maximum)
            return fail(acceptedText(spec));
        break;
    }
    case T::Boolean: {
        bool b = false;
        if (!parseBool(v, &b))
            return fail(acceptedText(spec));
        v = b ? u"true"_s : u"false"_s;
        break;
    }
    case T::Choice: {
        bool found = false;
        for (const QString &c : spec.choiceList()) {
            if (c.compare(v, Qt::CaseInsensitive) == 0) {
                v = c;
                found = true;
                break;
            }
        }
        if (!found)
            return fail(acceptedText(spec));
        break;
    }
    }
    if (spec.validate && !v.isEmpty()) {
        QString why;
        if (!spec.validate(v, &why)) {
            *error = u"%1: %2 (got \"%3\")"_s.arg(spec.name(), why, shown);
            return false;
        }
    }
    *normalized = v;
    return true;
}

QString SettingsTable::helpText()
{
    QString out;
    for (const G group : groups()) {
        QString section;
        for (const SettingSpec &s : table()) {
            if (s.group != group)
                continue;
            QString line = u"  %1"_s.arg(s.name());
            QStringList facts;
            if (s.type != T::Text)
                facts << acceptedText(s);
            if (s.defaultFrom || *s.defaultValue)
                facts << u"default %1"_s.arg(defaultText(s));
            if (s.secret)
                facts << u"secret"_s;
            if (!facts.isEmpty())
                line += u" (%1)"_s.arg(facts.join(u"; "_s));
            section += line + u'\n';
            section += u"      %1\n"_s.arg(QString::fromUtf8(s.help)); // the help text has Chinese words
        }
        if (!section.isEmpty())
            out += groupName(group) + u":\n"_s + section;
    }
    return out;
}
