#include "config/appconfig.h"

#include <type_traits>
#include <variant>

#include <QDir>

#include "config/envfile.h"
#include "config/settingstable.h"
#include "logging/redact.h"

namespace {

// The value of `key` by precedence; false when no source has it (or all give an empty value).
bool lookup(const AppConfig::Inputs &in, const SettingSpec &spec, QString *value, AppConfig::Source *source)
{
    const QString key = spec.name();
    auto take = [&](const QString &v, AppConfig::Source s) {
        if (v.trimmed().isEmpty())
            return false; // an empty value means "use the default"
        *value = v.trimmed();
        *source = s;
        return true;
    };
    if (in.commandLine.contains(key) && take(in.commandLine.value(key), AppConfig::Source::CommandLine))
        return true;
    if (in.environment.contains(key) && take(in.environment.value(key), AppConfig::Source::Environment))
        return true;
    if (in.envFile && in.envFile->contains(key) && take(in.envFile->value(key), AppConfig::Source::EnvFile))
        return true;
    const QHash<QString, QString> &saved = spec.secret ? in.keychain : in.saved;
    return saved.contains(key) && take(saved.value(key), AppConfig::Source::Saved);
}

void assign(AppConfig *c, const SettingSpec::Field &field, const QString &text)
{
    std::visit(
        [&](auto member) {
            using Value = std::remove_reference_t<decltype(c->*member)>;
            if constexpr (std::is_same_v<Value, QString>)
                c->*member = text;
            else if constexpr (std::is_same_v<Value, int>)
                c->*member = text.isEmpty() ? 0 : text.toInt();
            else if constexpr (std::is_same_v<Value, double>)
                c->*member = text.isEmpty() ? 0.0 : text.toDouble();
            else if constexpr (std::is_same_v<Value, bool>)
                SettingsTable::parseBool(text, &(c->*member));
            else if constexpr (std::is_same_v<Value, QUrl>)
                c->*member = QUrl(text);
            else if constexpr (std::is_same_v<Value, Logging::Level>)
                Logging::parseLevel(text, &(c->*member));
        },
        field);
}

// Keys that look like ours but are not in the table: probably typos.
bool looksLikeOurs(const QString &key)
{
    for (const char *prefix : {"FEISHU_", "LLM_", "EMBEDDING_", "SESSION_", "BITABLE_"}) {
        if (key.startsWith(QLatin1String(prefix)))
            return true;
    }
    return false;
}

} // namespace

QStringList AppConfig::knownKeys()
{
    return SettingsTable::keys();
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
    c.dataDir = in.dataDir;
    const QString dataDir = QDir(in.dataDir).absolutePath();
    QHash<QString, QString> resolved; // key -> canonical text, for defaultFrom
    for (const SettingSpec &spec : SettingsTable::all()) {
        const QString key = spec.name();
        QString given;
        Source source = Source::Default;
        QString value;
        if (spec.defaultFrom)
            value = resolved.value(QLatin1String(spec.defaultFrom));
        else
            value = SettingsTable::defaultText(spec, dataDir);
        if (lookup(in, spec, &given, &source)) {
            QString normalized, why;
            if (SettingsTable::check(spec, given, &normalized, &why)) {
                value = normalized;
            } else if (spec.onInvalid == SettingSpec::OnInvalid::Fatal) {
                *error = why;
                return false;
            } else {
                c.warnings << QStringLiteral("%1; using the default").arg(why);
                source = Source::Default;
            }
        }
        c.sources.insert(key, source);
        resolved.insert(key, value);
        assign(&c, spec.field, value);
        if (spec.secret)
            Redact::registerSecret(value);
    }
    // An API key without a provider: the seed's default provider was Qwen.
    if (c.llmProvider.isEmpty() && !c.llmApiKey.isEmpty())
        c.llmProvider = QStringLiteral("qwen");

    if (in.envFile) {
        for (const QString &key : in.envFile->values().keys()) {
            if (!SettingsTable::find(key) && looksLikeOurs(key))
                c.warnings << QStringLiteral(".env key %1 is not used by tsp-assistant (typo?)").arg(key);
        }
    }
    for (const QString &key : in.saved.keys()) {
        const SettingSpec *spec = SettingsTable::find(key);
        if (!spec)
            c.warnings << QStringLiteral("saved setting %1 is not used by tsp-assistant; ignored").arg(key);
        else if (spec->secret)
            c.warnings << QStringLiteral("saved setting %1 is a secret and is only read from the keychain; "
                                         "ignored")
                              .arg(key);
    }
    *out = std::move(c);
    return true;
}

QHash<QString, QString> AppConfig::values() const
{
    QHash<QString, QString> out;
    for (const SettingSpec &spec : SettingsTable::all()) {
        if (spec.secret)
            continue;
        QString text;
        std::visit(
            [&](auto member) {
                using Value = std::remove_cvref_t<decltype(this->*member)>;
                const Value &v = this->*member;
                if constexpr (std::is_same_v<Value, QString>)
                    text = v;
                else if constexpr (std::is_same_v<Value, int>)
                    text = QString::number(v);
                else if constexpr (std::is_same_v<Value, double>)
                    text = QString::number(v, 'g', 12);
                else if constexpr (std::is_same_v<Value, bool>)
                    text = v ? QStringLiteral("true") : QStringLiteral("false");
                else if constexpr (std::is_same_v<Value, QUrl>)
                    text = v.toString();
                else if constexpr (std::is_same_v<Value, Logging::Level>)
                    text = Logging::levelName(v);
            },
            spec.field);
        out.insert(spec.name(), text);
    }
    return out;
}

QStringList AppConfig::bannerLines() const
{
    auto src = [this](const char *key) { return sourceName(sources.value(QLatin1String(key))); };
    QStringList lines;
    lines << QStringLiteral("App ID:       %1 (%2)")
                 .arg(appId.isEmpty() ? QStringLiteral("<not set>") : appId, src("FEISHU_APP_ID"));
    lines << QStringLiteral("App secret:   %1")
                 .arg(appSecret.isEmpty() ? QStringLiteral("<not set>")
                                          : QStringLiteral("set (%1)").arg(src("FEISHU_APP_SECRET")));
    lines << QStringLiteral("Domain:       %1 (%2)").arg(feishuDomain.toString(), src("FEISHU_DOMAIN"));
    QString db = databaseUrl;
    if (db.startsWith(QLatin1String("postgres"))) {
        QUrl u(db);
        u.setPassword(QString());
        db = u.toString();
    }
    lines << QStringLiteral("Database:     %1 (%2)").arg(db, src("DATABASE_URL"));
    lines << QStringLiteral("LLM:          %1")
                 .arg(hasLlm() ? QStringLiteral("%1 / %2 (%3)")
                                     .arg(llmProvider,
                                          llmModel.isEmpty() ? QStringLiteral("<preset model>") : llmModel,
                                          src("LLM_PROVIDER"))
                               : QStringLiteral("none - answers come from the knowledge base"));
    lines << QStringLiteral("Log level:    %1 (%2)").arg(Logging::levelName(logLevel), src("LOG_LEVEL"));
    lines << QStringLiteral("Data dir:     %1").arg(dataDir);
    lines << QStringLiteral(".env file:    %1")
                 .arg(envFilePath.isEmpty() ? QStringLiteral("<none>") : envFilePath);
    lines << QStringLiteral("Sessions:     idle timeout %1 min, default mode %2")
                 .arg(sessionIdleMinutes)
                 .arg(defaultMode);
    return lines;
}
