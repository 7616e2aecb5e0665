// Throughput of the chat pipeline with instant fakes for Feishu and the assistant: what the
// database path (ledger + session + turns + decision + outbox) costs per message.
// Run by hand: ./build/tests/bench/bench_pipeline [messages] [users]
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTextStream>

#include "chat/draftstore.h"
#include "chat/outbox.h"
#include "chat/pipeline.h"
#include "chat/sessionmanager.h"
#include "fakeanswerprovider.h"
#include "fakereplytransport.h"
#include "storage/auditlog.h"
#include "storage/database.h"
#include "storage/eventledger.h"

namespace {

InboundMessage message(int i, int users)
{
    InboundMessage m;
    m.messageId = QStringLiteral("om_bench_%1").arg(i);
    m.eventType = QStringLiteral("im.message.receive_v1");
    const int user = i % users;
    m.senderOpenId = QStringLiteral("ou_user_%1").arg(user);
    m.chatType = user % 2 ? QStringLiteral("group") : QStringLiteral("p2p");
    m.chatId = user % 2 ? QStringLiteral("oc_group_%1").arg(user % 7) : QStringLiteral("oc_dm_%1").arg(user);
    m.mentionsBot = true;
    m.messageType = QStringLiteral("text");
    m.text = QStringLiteral("车机没网了，T-Box 指示灯不亮，怎么办？第%1条").arg(i);
    m.rawContent = QStringLiteral("{\"text\":\"%1\"}").arg(m.text);
    return m;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("tsp.*.info=false"));
    const QStringList args = app.arguments();
    const int n = args.size() > 1 ? args.at(1).toInt() : 2000;
    const int users = args.size() > 2 ? args.at(2).toInt() : 200;
    QTextStream out(stdout);

    QTemporaryDir dir;
    Database db(QStringLiteral("bench"));
    Database::Location loc;
    loc.kind = Database::Location::Sqlite;
    loc.sqlitePath = dir.filePath(QStringLiteral("bench.db"));
    if (!db.open(loc)) {
        out << "cannot open database: " << db.errorString() << Qt::endl;
        return 1;
    }
    FakeReplyTransport feishu;
    FakeAnswerProvider answers;
    EventLedger ledger(&db);
    SessionManager sessions(&db);
    AuditLog audit(&db);
    Outbox outbox(&db, &feishu);
    DraftStore drafts(&db, &sessions, &outbox, &audit);
    Pipeline pipeline(&db, &ledger, &sessions, &outbox, &drafts, &audit, &answers);

    QElapsedTimer t;
    t.start();
    for (int i = 0; i < n; ++i)
        pipeline.handle(message(i, users));
    const qint64 handledMs = t.elapsed();
    while (feishu.deliveredCount() < n && t.elapsed() < 120000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    const qint64 deliveredMs = t.elapsed();

    QElapsedTimer d;
    d.start();
    for (int i = 0; i < n; ++i)
        pipeline.handle(message(i, users));
    const qint64 duplicateMs = d.elapsed();

    const auto st = pipeline.stats();
    out << "messages: " << n << ", users: " << users
        << ", sessions: " << sessions.sessions(false, 100000).size() << Qt::endl;
    out << "handle() incl. decision, all messages: " << handledMs << " ms ("
        << QString::number(double(handledMs) / n, 'f', 3) << " ms/message)" << Qt::endl;
    out << "until every reply was delivered: " << deliveredMs << " ms ("
        << QString::number(n * 1000.0 / qMax<qint64>(1, deliveredMs), 'f', 0) << " messages/s)" << Qt::endl;
    out << "duplicate check, all messages again: " << duplicateMs << " ms ("
        << QString::number(double(duplicateMs) * 1000 / n, 'f', 1) << " us/message)" << Qt::endl;
    out << "answered " << st.answered << ", duplicates " << st.duplicates << ", errors " << st.errors
        << ", delivered " << feishu.deliveredCount() << Qt::endl;
    return feishu.deliveredCount() == n && st.duplicates == n ? 0 : 2;
}
