#pragma once

// Logging categories of the whole project. Info is the default level of every category;
// LOG_LEVEL (DEBUG, INFO, WARNING, ERROR) moves all of them at once (see Logging::setup).
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcFeishu)       // tsp.feishu        long connection lifecycle
Q_DECLARE_LOGGING_CATEGORY(lcFeishuFrames) // tsp.feishu.frames every frame in and out
Q_DECLARE_LOGGING_CATEGORY(lcOpenApi)      // tsp.openapi       REST calls, tokens
Q_DECLARE_LOGGING_CATEGORY(lcEvent)        // tsp.event         event parsing
Q_DECLARE_LOGGING_CATEGORY(lcSession)      // tsp.session       sessions, pipeline
Q_DECLARE_LOGGING_CATEGORY(lcOutbox)       // tsp.outbox        replies on their way out
Q_DECLARE_LOGGING_CATEGORY(lcAssistant)    // tsp.assistant     answer building
Q_DECLARE_LOGGING_CATEGORY(lcLlm)          // tsp.llm           LLM HTTP client
Q_DECLARE_LOGGING_CATEGORY(lcKnowledge)    // tsp.kb            knowledge base, search
Q_DECLARE_LOGGING_CATEGORY(lcDb)           // tsp.db            database, migrations
Q_DECLARE_LOGGING_CATEGORY(lcConfig)       // tsp.config        settings, .env, secrets
Q_DECLARE_LOGGING_CATEGORY(lcSandbox)      // tsp.sandbox       the local Feishu stand-in
Q_DECLARE_LOGGING_CATEGORY(lcApp)          // tsp.app           start-up, shutdown
Q_DECLARE_LOGGING_CATEGORY(lcTickets)      // tsp.tickets       tickets, Bitable sync
