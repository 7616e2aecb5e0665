#include "config/appconfig.h"

#include <QDir>

#include "config/envfile.h"
#include "logging/redact.h"

namespace {

struct Lookup
{
    const AppConfig::Inputs &in;
    AppConfig *out;

    // The value of `key` by precedence, or `fallback` (Source::Default).
    QString get(const QString &key, const QString &fallback = {})
    {
        if (in.commandLine.contains(key))
            return take(key, in.commandLine.value(key), AppConfig::Source::CommandLine);
        if (in.environment.contains(key))
            return take(key, in.environment.value(key), AppConfig::Source::Environment);
        if (in.envFile && in.envFile->contains(key))
            return take(key, in.envFile->value(key), AppConfig::Source::EnvFile);
        if (in.saved.contains(key))
            return take(key, in.saved.value(key), AppConfig::Source::Saved);
        out->sources.insert(key, AppConfig::Source::Default);
        return fallback;
    }

    QString take(const QString &key, const QString &value, AppConfig::Source s)
    {
        out->sources.insert(key, s);
        return value.trimmed();
    }
};

} // namespace

QStringList AppConfig::knownKeys()
{
    return {QStringLiteral("FEISHU_APP_ID"),      QStringLiteral("FEISHU_APP_SECRET"), QStringLiteral("FEISHU_DOMAIN"),
            QStringLiteral("DATABASE_URL"),       QStringLiteral("LLM_PROVIDER"),      QStringLiteral("LLM_API_KEY"),
            QStringLiteral("LLM_BASE_URL"),       QStringLiteral("LLM_MODEL"),         QStringLiteral("LOG_LEVEL"),
            QStringLiteral("FEISHU_PROXY"),       QStringLiteral("FEISHU_CA_FILE"),    QStringLiteral("SESSION_IDLE_MINUTES"),
            QStringLiteral("DEFAULT_MODE"),       QStringLiteral("EMBEDDING_BASE_URL"), QStringLiteral("EMBEDDING_API_KEY"),
            QStringLiteral("EMBEDDING_MODEL"),
            QStringLiteral("BITABLE_APP_TOKEN"),  QStringLiteral("BITABLE_TABLE_ID"),   QStringLiteral("TICKETS_SYNC_MINUTES"),
            QStringLiteral("TICKETS_AUTO_ON_ESCALATION"), QStringLiteral("TICKETS_FIELD_MAP")};
}

QString AppConfig::sourceName(Source s)
{
    switch (s) {
    case Source::Default:
        return QStringLiteral("default");
    case Source::Saved:
        return QStringLiteral("saved settings");
    case Source::EnvFile:
        return QStringLiteral(".env");
    case Source::Environment:
        return QStringLiteral("environment");
    case Source::CommandLine:
        return QStringLiteral("command line");
    }
    return {};
}

bool AppConfig::resolve(const Inputs &in, AppConfig *out, QString *error)
{
    AppConfig c;
    Lookup l{in, &c};
    c.dataDir = in.dataDir;
    c.appId = l.get(QStringLiteral("FEISHU_APP_ID"));
    c.appSecret = l.get(QStringLiteral("FEISHU_APP_SECRET"));
    Redact::registerSecret(c.appSecret);

    QString domain = l.get(QStringLiteral("FEISHU_DOMAIN"), QStringLiteral("https://open.feishu.cn"));
    // The Python SDK accepted the bare names too.
    if (domain.compare(QLatin1String("feishu"), Qt::CaseInsensitive) == 0)
        domain = QStringLiteral("https://open.feishu.cn");
    else if (domain.compare(QLatin1String("lark"), Qt::CaseInsensitive) == 0)
        domain = QStringLiteral("https://open.larksuite.com");
    while (domain.endsWith(QLatin1Char('/')))
        domain.chop(1);
    c.feishuDomain = QUrl(domain, QUrl::StrictMode);
    if (!c.feishuDomain.isValid() || c.feishuDomain.host().isEmpty()
        || (c.feishuDomain.scheme() != QLatin1String("https") && c.feishuDomain.scheme() != QLatin1String("http"))) {
        *error = QStringLiteral("FEISHU_DOMAIN must be an http(s) URL such as https://open.feishu.cn (got \"%1\")").arg(domain);
        return false;
    }

    c.databaseUrl = l.get(QStringLiteral("DATABASE_URL"),
                          QStringLiteral("sqlite:///") + QDir(in.dataDir).absoluteFilePath(QStringLiteral("tsp-assistant.db")));

    c.llmProvider = l.get(QStringLiteral("LLM_PROVIDER")).toLower();
    const QStringList providers = {QStringLiteral("qwen"), QStringLiteral("openai"), QStringLiteral("deepseek"),
                                   QStringLiteral("ollama"), QStringLiteral("custom"), QStringLiteral("none")};
    if (!c.llmProvider.isEmpty() && !providers.contains(c.llmProvider)) {
        *error = QStringLiteral("LLM_PROVIDER must be one of qwen, openai, deepseek, ollama, custom (got \"%1\")")
                     .arg(c.llmProvider);
        return false;
    }
    c.llmApiKey = l.get(QStringLiteral("LLM_API_KEY"));
    Redact::registerSecret(c.llmApiKey);
    c.llmBaseUrl = l.get(QStringLiteral("LLM_BASE_URL"));
    c.llmModel = l.get(QStringLiteral("LLM_MODEL"));
    // An API key without a provider: the seed's default provider was Qwen.
    if (c.llmProvider.isEmpty() && !c.llmApiKey.isEmpty())
        c.llmProvider = QStringLiteral("qwen");

    const QString level = l.get(QStringLiteral("LOG_LEVEL"), QStringLiteral("INFO"));
    if (!Logging::parseLevel(level, &c.logLevel)) {
        *error = QStringLiteral("LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR (got \"%1\")").arg(level);
        return false;
    }

    c.proxy = l.get(QStringLiteral("FEISHU_PROXY"), QStringLiteral("system"));
    c.caFile = l.get(QStringLiteral("FEISHU_CA_FILE"));
    bool ok = false;
    const QString idle = l.get(QStringLiteral("SESSION_IDLE_MINUTES"), QStringLiteral("30"));
    c.sessionIdleMinutes = idle.toInt(&ok);
    if (!ok || c.sessionIdleMinutes <= 0) {
        c.warnings << QStringLiteral("SESSION_IDLE_MINUTES=\"%1\" is not a positive number; using 30").arg(idle);
        c.sessionIdleMinutes = 30;
    }
    c.defaultMode = l.get(QStringLiteral("DEFAULT_MODE"), QStringLiteral("auto")).toLower();
    if (c.defaultMode != QLatin1String("auto") && c.defaultMode != QLatin1String("review")
        && c.defaultMode != QLatin1String("manual")) {
        c.warnings << QStringLiteral("DEFAULT_MODE=\"%1\" is not auto, review or manual; using auto").arg(c.defaultMode);
        c.defaultMode = QStringLiteral("auto");
    }
    c.embeddingBaseUrl = l.get(QStringLiteral("EMBEDDING_BASE_URL"));
    c.embeddingApiKey = l.get(QStringLiteral("EMBEDDING_API_KEY"), c.llmApiKey);
    Redact::registerSecret(c.embeddingApiKey);
    c.embeddingModel = l.get(QStringLiteral("EMBEDDING_MODEL"), QStringLiteral("text-embedding-v3"));

    c.bitableAppToken = l.get(QStringLiteral("BITABLE_APP_TOKEN"));
    Redact::registerSecret(c.bitableAppToken);
    c.bitableTableId = l.get(QStringLiteral("BITABLE_TABLE_ID"));
    const QString syncMinutes = l.get(QStringLiteral("TICKETS_SYNC_MINUTES"), QStringLiteral("10"));
    c.ticketSyncMinutes = syncMinutes.toInt(&ok);
    if (!ok || c.ticketSyncMinutes < 0) {
        c.warnings << QStringLiteral("TICKETS_SYNC_MINUTES=\"%1\" is not a number of minutes (0 = off); using 10").arg(syncMinutes);
        c.ticketSyncMinutes = 10;
    }
    const QString autoTicket = l.get(QStringLiteral("TICKETS_AUTO_ON_ESCALATION"), QStringLiteral("false")).toLower();
    c.ticketOnEscalation = autoTicket == QLatin1String("true") || autoTicket == QLatin1String("1") || autoTicket == QLatin1String("yes") || autoTicket == QLatin1String("on");
    c.ticketFieldMap = l.get(QStringLiteral("TICKETS_FIELD_MAP"));

    if (in.envFile) {
        for (const QString &key : in.envFile->values().keys()) {
            if (!knownKeys().contains(key) && (key.startsWith(QLatin1String("FEISHU_")) || key.startsWith(QLatin1String("LLM_"))))
                c.warnings << QStringLiteral(".env key %1 is not used by tsp-assistant (typo?)").arg(key);
        }
    }
    *out = std::move(c);
    return true;
}

QStringList AppConfig::bannerLines() const
{
    auto src = [this](const char *key) { return sourceName(sources.value(QLatin1String(key))); };
    QStringList lines;
    lines << QStringLiteral("App ID:       %1 (%2)").arg(appId.isEmpty() ? QStringLiteral("<not set>") : appId, src("FEISHU_APP_ID"));
    lines << QStringLiteral("App secret:   %1").arg(appSecret.isEmpty() ? QStringLiteral("<not set>") : QStringLiteral("set (%1)").arg(src("FEISHU_APP_SECRET")));
    lines << QStringLiteral("Domain:       %1 (%2)").arg(feishuDomain.toString(), src("FEISHU_DOMAIN"));
    QString db = databaseUrl;
    if (db.startsWith(QLatin1String("postgres"))) {
        QUrl u(db);
        u.setPassword(QString());
        db = u.toString();
    }
    lines << QStringLiteral("Database:     %1 (%2)").arg(db, src("DATABASE_URL"));
    lines << QStringLiteral("LLM:          %1").arg(hasLlm() ? QStringLiteral("%1 / %2 (%3)").arg(llmProvider, llmModel.isEmpty() ? QStringLiteral("<preset model>") : llmModel, src("LLM_PROVIDER"))
                                                              : QStringLiteral("none - answers come from the knowledge base"));
    lines << QStringLiteral("Log level:    %1 (%2)").arg(Logging::levelName(logLevel), src("LOG_LEVEL"));
    lines << QStringLiteral("Data dir:     %1").arg(dataDir);
    lines << QStringLiteral(".env file:    %1").arg(envFilePath.isEmpty() ? QStringLiteral("<none>") : envFilePath);
    lines << QStringLiteral("Sessions:     idle timeout %1 min, default mode %2").arg(sessionIdleMinutes).arg(defaultMode);
    return lines;
}
