#pragma once

#include <QHash>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

#include "logging/logging.h"

class EnvFile;

// The configuration contract (architecture.md, "Interfaces other programs rely on").
// Keys are the Python system's .env names. Precedence, highest first:
//   command line > environment > .env file > settings saved by the console > defaults.
struct AppConfig
{
    // Where a value came from, for the start-up banner.
    enum class Source { Default, Saved, EnvFile, Environment, CommandLine };

    QString appId;           // FEISHU_APP_ID
    QString appSecret;       // FEISHU_APP_SECRET
    QUrl feishuDomain;       // FEISHU_DOMAIN (default https://open.feishu.cn)
    QString databaseUrl;     // DATABASE_URL (default sqlite:////<data-dir>/tsp-assistant.db)
    QString llmProvider;     // LLM_PROVIDER: qwen, openai, deepseek, ollama, custom ('' = none)
    QString llmApiKey;       // LLM_API_KEY
    QString llmBaseUrl;      // LLM_BASE_URL (the .../v1 base)
    QString llmModel;        // LLM_MODEL
    Logging::Level logLevel = Logging::Level::Info; // LOG_LEVEL
    // Extensions beyond the seed's keys (all optional).
    QString proxy;           // FEISHU_PROXY: system (default), none, http://host:port, socks5://host:port
    QString caFile;          // FEISHU_CA_FILE: extra CA certificates (PEM) for TLS-inspecting intranets
    int sessionIdleMinutes = 30; // SESSION_IDLE_MINUTES
    QString defaultMode = QStringLiteral("auto"); // DEFAULT_MODE: auto, review, manual
    QString embeddingBaseUrl;    // EMBEDDING_BASE_URL (.../v1); empty = BM25 only
    QString embeddingApiKey;     // EMBEDDING_API_KEY (defaults to LLM_API_KEY)
    QString embeddingModel;      // EMBEDDING_MODEL
    // Tickets (issue #14).
    QString bitableAppToken;       // BITABLE_APP_TOKEN: the Base's app_token ('' = no ticket sync)
    QString bitableTableId;        // BITABLE_TABLE_ID: tbl...
    int ticketSyncMinutes = 10;    // TICKETS_SYNC_MINUTES: periodic sync (0 = only on request)
    bool ticketOnEscalation = false; // TICKETS_AUTO_ON_ESCALATION: a ticket for every escalation
    QString ticketFieldMap;        // TICKETS_FIELD_MAP: JSON {"title":"工单标题",...} over the defaults

    QString dataDir;         // --data-dir (default: the platform app-data dir)
    QString envFilePath;     // the .env actually read ('' = none)
    QHash<QString, Source> sources;
    QStringList warnings;    // problems that did not stop the start (shown in the log)

    struct Inputs
    {
        QHash<QString, QString> commandLine;  // key -> value from flags
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        const EnvFile *envFile = nullptr;
        QHash<QString, QString> saved;        // settings saved by the console
        QString dataDir;                      // already resolved
    };
    // Resolves every key. Returns false with *error for values that make a start impossible
    // (e.g. an invalid LOG_LEVEL or FEISHU_DOMAIN).
    static bool resolve(const Inputs &in, AppConfig *out, QString *error);

    static QStringList knownKeys();
    static QString sourceName(Source s);
    bool hasFeishuCredentials() const { return !appId.isEmpty() && !appSecret.isEmpty(); }
    bool hasLlm() const { return !llmProvider.isEmpty() && llmProvider != QLatin1String("none"); }
    // The start-up banner: configuration without secrets.
    QStringList bannerLines() const;
};
