#pragma once

#include <QHash>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

#include "logging/logging.h"

class EnvFile;

// The configuration contract (architecture.md, "Interfaces other programs rely on"): the resolved,
// typed values of every key in the settings table (config/settingstable.h). Keys are the Python
// system's .env names. Precedence, highest first:
//   command line > environment > .env file > settings saved by the console > defaults.
// The defaults below equal the table's (tst_settingstable checks it); resolve() assigns every field
// from the table. Adding a key: one row in settingstable.cpp and one field here.
struct AppConfig
{
    // Where a value came from, for the start-up banner.
    enum class Source { Default, Saved, EnvFile, Environment, CommandLine };

    // Feishu
    QString appId;                                                      // FEISHU_APP_ID
    QString appSecret;                                                  // FEISHU_APP_SECRET
    QUrl feishuDomain = QUrl(QStringLiteral("https://open.feishu.cn")); // FEISHU_DOMAIN
    QString proxy =
        QStringLiteral("system"); // FEISHU_PROXY: system, none, http://host:port, socks5://host:port
    QString caFile;               // FEISHU_CA_FILE: extra CA certificates (PEM) for TLS-inspecting intranets
    // Assistant
    QString llmProvider;         // LLM_PROVIDER: qwen, openai, deepseek, ollama, custom ('' = none)
    QString llmApiKey;           // LLM_API_KEY
    QString llmBaseUrl;          // LLM_BASE_URL (the .../v1 base)
    QString llmModel;            // LLM_MODEL
    double llmTemperature = 0.3; // LLM_TEMPERATURE
    int llmMaxTokens = 1024;     // LLM_MAX_TOKENS
    int llmTimeoutMs = 60000;    // LLM_TIMEOUT_MS: one attempt
    int llmRetries = 2;          // LLM_RETRIES
    bool llmStream = true;       // LLM_STREAM
    QString embeddingBaseUrl;    // EMBEDDING_BASE_URL (.../v1); empty = BM25 only
    QString embeddingApiKey;     // EMBEDDING_API_KEY (defaults to LLM_API_KEY)
    QString embeddingModel = QStringLiteral("text-embedding-v3"); // EMBEDDING_MODEL
    int embeddingTimeoutMs = 5000;                                // EMBEDDING_TIMEOUT_MS: one request
    int embeddingDimensions = 0; // EMBEDDING_DIMENSIONS (0 = the model's own)
    int historyTurns = 8;        // HISTORY_TURNS: earlier turns of the conversation given to the LLM
    // Sessions
    int sessionIdleMinutes = 30;                  // SESSION_IDLE_MINUTES
    QString defaultMode = QStringLiteral("auto"); // DEFAULT_MODE: auto, review, manual
    QString databaseUrl;         // DATABASE_URL (default sqlite:///<data-dir>/tsp-assistant.db)
    int draftTimeoutSeconds = 0; // DRAFT_TIMEOUT_SECONDS: 0 = drafts wait
    QString draftTimeoutPolicy = QStringLiteral("handoff"); // DRAFT_TIMEOUT_POLICY: send, handoff
    // Interface (the console)
    QString uiLanguage = QStringLiteral("system"); // UI_LANGUAGE: system, zh_CN, en
    bool startMinimized = false;                   // START_MINIMIZED: start hidden in the tray
    // Logging
    Logging::Level logLevel = Logging::Level::Info; // LOG_LEVEL
    QString logFile;                                // LOG_FILE (default <data-dir>/logs/tsp-assistant.log)
    // Tickets (issue #14)
    QString bitableAppToken;         // BITABLE_APP_TOKEN: the Base's app_token ('' = no ticket sync)
    QString bitableTableId;          // BITABLE_TABLE_ID: tbl...
    int ticketSyncMinutes = 10;      // TICKETS_SYNC_MINUTES: periodic sync (0 = only on request)
    bool ticketOnEscalation = false; // TICKETS_AUTO_ON_ESCALATION: a ticket for every escalation
    QString ticketFieldMap;          // TICKETS_FIELD_MAP: JSON {"title":"工单标题",...} over the defaults

    QString dataDir;     // --data-dir (default: the platform app-data dir)
    QString envFilePath; // the .env actually read ('' = none)
    QHash<QString, Source> sources;
    QStringList warnings; // problems that did not stop the start (shown in the log)

    struct Inputs
    {
        QHash<QString, QString> commandLine; // key -> value from flags
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        const EnvFile *envFile = nullptr;
        // Settings saved by the console (plaintext): keys of the settings table, never a secret
        // row (a secret found here is ignored with a warning).
        QHash<QString, QString> saved;
        QHash<QString, QString> keychain; // secret rows from the keychain, same rank as saved
        QString dataDir;                  // already resolved
    };
    // Resolves every key of the settings table. Returns false with *error for values that make a
    // start impossible (rows with OnInvalid::Fatal, e.g. an invalid LOG_LEVEL or FEISHU_DOMAIN);
    // other invalid values are listed in `warnings` and take their default.
    static bool resolve(const Inputs &in, AppConfig *out, QString *error);

    static QStringList knownKeys(); // SettingsTable::keys()
    static QString sourceName(Source s);
    bool hasFeishuCredentials() const { return !appId.isEmpty() && !appSecret.isEmpty(); }
    bool hasLlm() const { return !llmProvider.isEmpty() && llmProvider != QLatin1String("none"); }
    // Every key of the settings table with its resolved value as text (the settings page's
    // "in force now"); secret rows are left out.
    QHash<QString, QString> values() const;
    // The start-up banner: configuration without secrets.
    QStringList bannerLines() const;
};
