#include "ticketsrunner.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include "application.h"
#include "config/appconfig.h"
#include "feishu/openapiclient.h"
#include "logging/logging.h"
#include "storage/database.h"
#include "tickets/bitablesync.h"
#include "tickets/ticketstore.h"

namespace {

int list(TicketStore &store, bool json, QTextStream &out)
{
    const QList<Ticket> tickets = store.tickets();
    if (json) {
        QJsonArray array;
        for (const Ticket &t : tickets) {
            array.append(QJsonObject{
                {QStringLiteral("id"), t.number},
                {QStringLiteral("record_id"), t.recordId},
                {QStringLiteral("title"), t.title},
                {QStringLiteral("status"), t.status},
                {QStringLiteral("vin"), t.vin},
                {QStringLiteral("sync_state"), TicketSync::stateName(store.syncInfo(t.id).state)}});
        }
        out << QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact)) << "\n";
        return ExitCode::Ok;
    }
    if (tickets.isEmpty())
        out << "no tickets\n";
    for (const Ticket &t : tickets) {
        out << t.number << "  " << TicketStatus::label(t.status) << "  "
            << TicketSync::stateName(store.syncInfo(t.id).state) << "  "
            << (t.recordId.isEmpty() ? QStringLiteral("-") : t.recordId) << "  " << t.title << "\n";
    }
    return ExitCode::Ok;
}

int sync(const AppConfig &config, TicketStore &store, QTextStream &out, QTextStream &err)
{
    if (!config.hasFeishuCredentials()) {
        err << "tsp-assistant tickets sync: FEISHU_APP_ID and FEISHU_APP_SECRET are not set\n";
        return ExitCode::Usage;
    }
    BitableSync::Options options;
    QString error;
    if (!BitableSync::optionsFromConfig(config, &options, &error)) {
        err << "tsp-assistant tickets sync: TICKETS_FIELD_MAP: " << error << "\n";
        return ExitCode::Usage;
    }
    options.intervalMs = 0;
    if (options.bitable.appToken.isEmpty() || options.bitable.tableId.isEmpty()) {
        err << "tsp-assistant tickets sync: BITABLE_APP_TOKEN and BITABLE_TABLE_ID must name the Bitable "
               "table\n";
        return ExitCode::Usage;
    }
    OpenApiClient::Options api;
    api.domain = config.feishuDomain.toString();
    api.appId = config.appId;
    api.appSecret = config.appSecret;
    if (!NetworkOptions::parseProxy(config.proxy, &api.network, &error)) {
        err << "tsp-assistant tickets sync: FEISHU_PROXY: " << error << "\n";
        return ExitCode::Usage;
    }
    api.network.extraCaFile = config.caFile;
    OpenApiClient client(api);
    BitableSync syncer(&store, &client, options);
    QObject::connect(&syncer, &BitableSync::progress, &syncer, [&err](const QString &message, int, int) {
        err << "tickets sync: " << message << "\n";
        err.flush();
    });
    int rc = ExitCode::Failed;
    QObject::connect(&syncer, &BitableSync::finished, &syncer, [&](const BitableSync::Report &r) {
        for (const QString &p : r.problems)
            err << "tickets sync: " << p << "\n";
        if (!r.ok) {
            err << "tsp-assistant tickets sync: " << r.error << "\n";
            rc = ExitCode::Failed;
        } else {
            out << QStringLiteral("synced: %1 pulled (%2 new, %3 updated here, %4 merged), %5 created and %6 "
                                  "updated in Bitable, %7 conflicts, %8 failed\n")
                       .arg(r.pulled)
                       .arg(r.imported)
                       .arg(r.updatedLocal)
                       .arg(r.merged)
                       .arg(r.created)
                       .arg(r.updatedRemote)
                       .arg(r.conflicts)
                       .arg(r.failed);
            rc = ExitCode::Ok;
        }
        out.flush();
        err.flush();
        QCoreApplication::exit(0);
    });
    syncer.syncNow();
    QCoreApplication::exec();
    return rc;
}

} // namespace

QString TicketsRunner::usage()
{
    return QStringLiteral("tickets commands:\n"
                          "  tsp-assistant tickets sync          one two-way sync with the Bitable table\n"
                          "                                      (BITABLE_APP_TOKEN, BITABLE_TABLE_ID)\n"
                          "  tsp-assistant tickets list [--json] the local tickets\n");
}

int TicketsRunner::run(const CommandLine &commandLine)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    const QStringList args = commandLine.ticketsArgs;
    const QString command = args.value(0);
    const bool json = args.contains(QStringLiteral("--json"));
    const bool known = (command == QLatin1String("sync") && args.size() == 1) ||
                       (command == QLatin1String("list") && args.size() <= 2 && (args.size() == 1 || json));
    if (!known) {
        err << "tsp-assistant tickets: unknown command \"" << args.join(QLatin1Char(' ')) << "\"\n"
            << usage();
        return ExitCode::Usage;
    }
    AppConfig config;
    QString error;
    if (!Application::loadConfig(commandLine, &config, &error)) {
        err << "tsp-assistant tickets: " << error << "\n";
        return ExitCode::Usage;
    }
    if (command == QLatin1String("sync")) {
        Application::setupLogging(config);
    } else {
        Logging::setup(qMax(config.logLevel, Logging::Level::Warning));
    }
    const Database::Location location = Database::parseUrl(config.databaseUrl, config.dataDir);
    if (location.kind == Database::Location::Invalid) {
        err << "tsp-assistant tickets: DATABASE_URL: " << location.error << "\n";
        return ExitCode::Usage;
    }
    Database db(QStringLiteral("tsp-tickets"));
    if (!db.open(location)) {
        err << "tsp-assistant tickets: " << db.errorString() << "\n";
        return ExitCode::Failed;
    }
    int rc = ExitCode::Failed;
    {
        TicketStore store(&db);
        rc = command == QLatin1String("list") ? list(store, json, out) : sync(config, store, out, err);
    }
    out.flush();
    err.flush();
    db.close();
    return rc;
}
