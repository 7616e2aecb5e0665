#pragma once

#include <memory>

#include "feishu/openapiclient.h"
#include "sandbox/bitablesandbox.h"
#include "sandbox/feishusandbox.h"
#include "tickets/bitablesync.h"

// The sandbox's Bitable on 127.0.0.1 with one table, and an OpenApiClient for it: what the ticket
// sync tests (core and ui) share. Members go in reverse order: the client, then the sandbox.
struct BitableFixture
{
    static QString appToken() { return QStringLiteral("bascnSandboxApp01"); }
    static QString tableId() { return QStringLiteral("tblTickets01"); }

    std::unique_ptr<FeishuSandbox> sandbox;
    OpenApiClient::Options apiOptions;
    std::unique_ptr<OpenApiClient> api;

    // Starts the sandbox with the table and makes the client; false when the sandbox cannot listen.
    bool start()
    {
        sandbox = std::make_unique<FeishuSandbox>(FeishuSandbox::Options{});
        if (!sandbox->start())
            return false;
        sandbox->bitable()->createTable(appToken(), tableId());
        apiOptions.domain = sandbox->baseUrl().toString();
        apiOptions.appId = sandbox->options().appId;
        apiOptions.appSecret = sandbox->options().appSecret;
        apiOptions.network.proxyMode = NetworkOptions::ProxyMode::None;
        apiOptions.timeoutMs = 1500;
        apiOptions.retryBaseMs = 10;
        newClient();
        return true;
    }
    // A fresh client (as a new process has), dropping the old one with whatever it had in flight.
    void newClient()
    {
        api.reset();
        api = std::make_unique<OpenApiClient>(apiOptions);
    }
    BitableSandbox *bitable() const { return sandbox->bitable(); }
    // Sync options for the table, with short back-offs.
    static BitableSync::Options syncOptions(int pageSize = 500)
    {
        BitableSync::Options o;
        o.bitable.appToken = appToken();
        o.bitable.tableId = tableId();
        o.bitable.pageSize = pageSize;
        o.bitable.retryBaseMs = 5;
        o.bitable.maxRetries = 4;
        return o;
    }
};
