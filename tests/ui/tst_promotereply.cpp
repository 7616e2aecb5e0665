// "Promote to knowledge" from the Conversations page's thread: an operator's sent reply becomes a
// new version of the entry the bot cited, or a new entry; the form is prefilled from the
// conversation; the saved entry keeps the link to the turn it came from. Over the real desk with
// the sandbox as Feishu and a real SQLite file.
#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QToolButton>
#include <QtTest>

#include "botdeskfixture.h"
#include "conversations/composer.h"
#include "conversations/conversationspage.h"
#include "conversations/threadmodel.h"
#include "conversations/threadview.h"
#include "knowledge/knowledgeentryform.h"
#include "knowledge/promotedialog.h"
#include "screenshot.h"
#include "storage/auditlog.h"

class TestPromoteReply final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { Screenshot::loadTranslation(); }
    void init();
    void cleanup();

    void actionFollowsTheSelectedTurn();
    void replyBecomesANewVersionOfTheCitedEntry();
    void replyBecomesANewEntryAndInvalidInputIsRefused();
    void screenshots();

private:
    // A customer asks, the bot answers citing an entry, the operator takes over and replies.
    // Sets *turn to the operator turn's id, *session and *cited (the entry the bot cited).
    void operatorReplies(const QString &openId, const QString &reply, qint64 *session, QString *cited,
                         qint64 *turn);
    int rowOf(TurnRole role) const;
    PromoteDialog *pressPromote();
    static void commitText(QWidget *w, const QString &text)
    {
        QInputMethodEvent e;
        e.setCommitString(text);
        QCoreApplication::sendEvent(w, &e);
    }

    std::unique_ptr<BotDeskFixture> m_fx;
    std::unique_ptr<ConversationsPage> m_page;
};

void TestPromoteReply::init()
{
    m_fx = std::make_unique<BotDeskFixture>();
    QString error;
    QVERIFY2(m_fx->start(&error), qPrintable(error));
    m_page = std::make_unique<ConversationsPage>(m_fx->desk());
    m_page->resize(1280, 800);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
}

void TestPromoteReply::cleanup()
{
    m_page.reset();
    m_fx.reset();
}

int TestPromoteReply::rowOf(TurnRole role) const
{
    const ThreadModel *m = m_page->threadModel();
    for (int row = m->rowCount() - 1; row >= 0; --row)
        if (m->index(row).data(ThreadModel::SpeakerRole).toInt() == int(role))
            return row;
    return -1;
}

void TestPromoteReply::operatorReplies(const QString &openId, const QString &reply, qint64 *session,
                                       QString *cited, qint64 *turn)
{
    *turn = 0;
    const QString im = m_fx->customerWrites(openId, QStringLiteral("远程解锁失败怎么办"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(im), 1, 10000);
    *session = m_fx->sessionOf(openId);
    m_page->openSession(*session);
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(TurnRole::Bot) >= 0, 5000);
    const TurnView bot = m_page->threadModel()->turnAt(rowOf(TurnRole::Bot));
    QVERIFY2(!bot.cited.isEmpty(), "the bot's answer cited no entry");
    *cited = bot.cited.first().id;

    m_page->takeOverOrHandBack();
    QCOMPARE(m_fx->desk()->session(*session)->mode, SessionMode::Manual);
    ReplyEdit *edit = m_page->composer()->editor();
    edit->setFocus();
    commitText(edit, reply);
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->sentTexts().count(reply), 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(TurnRole::Operator) >= 0, 5000);
    const int row = rowOf(TurnRole::Operator);
    QTRY_COMPARE_WITH_TIMEOUT(m_page->threadModel()->index(row).data(ThreadModel::DeliveryRole).toInt(),
                              int(Desk::DeliveryState::Sent), 10000);
    *turn = m_page->threadModel()->turnAt(row).id;
}

PromoteDialog *TestPromoteReply::pressPromote()
{
    auto *button = m_page->findChild<QToolButton *>(QStringLiteral("promoteButton"));
    if (!button || !button->isEnabled() || button->accessibleName() != QLatin1String("Promote to knowledge"))
        return nullptr;
    QTest::mouseClick(button, Qt::LeftButton);
    return m_page->findChild<PromoteDialog *>();
}

void TestPromoteReply::actionFollowsTheSelectedTurn()
{
    QAction *promote = m_page->threadView()->promoteAction();
    QCOMPARE(promote->text(), QStringLiteral("Promote to knowledge"));
    QVERIFY(!promote->isEnabled()); // no conversation

    const QString im = m_fx->customerWrites(QStringLiteral("ou_p1"), QStringLiteral("远程解锁失败"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(im), 1, 10000);
    m_page->openSession(m_fx->sessionOf(QStringLiteral("ou_p1")));
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(TurnRole::Bot) >= 0, 5000);
    ThreadView *view = m_page->threadView();
    // Nothing selected and no operator reply yet: nothing to promote.
    view->setCurrentIndex({});
    QVERIFY(!promote->isEnabled());
    // The customer's turn is not a reply.
    view->setCurrentIndex(m_page->threadModel()->index(rowOf(TurnRole::Customer)));
    QVERIFY(!promote->isEnabled());
    // The bot's sent answer is.
    const int botRow = rowOf(TurnRole::Bot);
    view->setCurrentIndex(m_page->threadModel()->index(botRow));
    QVERIFY(promote->isEnabled());
    QCOMPARE(view->promotableTurnId(), m_page->threadModel()->turnAt(botRow).id);
    // The turn's context menu offers it (the menu runs its own loop: read it, then close it).
    bool offered = false;
    QTimer::singleShot(100, this, [&offered, promote] {
        if (auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget())) {
            offered = menu->actions().contains(promote);
            menu->close();
        }
    });
    const QPoint at = view->visualRect(m_page->threadModel()->index(botRow)).center();
    QContextMenuEvent event(QContextMenuEvent::Mouse, at, view->viewport()->mapToGlobal(at));
    QCoreApplication::sendEvent(view->viewport(), &event);
    QVERIFY(offered);
}

void TestPromoteReply::replyBecomesANewVersionOfTheCitedEntry()
{
    const QString reply = QStringLiteral("请先在App里退出登录再重新登录，然后长按解锁键三秒重试。");
    qint64 session = 0;
    QString cited;
    qint64 turn = 0;
    operatorReplies(QStringLiteral("ou_p2"), reply, &session, &cited, &turn);
    QVERIFY(turn > 0);
    const KnowledgeEntry before = *m_fx->desk()->knowledgeEntry(cited);

    // Nothing selected: the button takes the newest operator reply.
    m_page->threadView()->setCurrentIndex({});
    QCOMPARE(m_page->threadView()->promotableTurnId(), turn);
    PromoteDialog *dialog = pressPromote();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    // The bot cited an entry: updating it is offered first (no duplicate).
    QCOMPARE(dialog->updateEntryId(), cited);
    const KnowledgeEntry prefilled = dialog->form()->entry();
    QCOMPARE(prefilled.id, cited);
    QCOMPARE(prefilled.title, before.title);
    QCOMPARE(prefilled.solution, reply);
    QVERIFY(prefilled.symptoms.contains(QStringLiteral("远程解锁失败怎么办")));
    QVERIFY(!dialog->form()->isNew());
    QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("originLabel"))
                ->text()
                .contains(QStringLiteral("#%1").arg(turn)));

    QSignalSpy promoted(dialog, &PromoteDialog::promoted);
    auto *save = dialog->findChild<QPushButton *>(QStringLiteral("promoteSaveButton"));
    QCOMPARE(save->accessibleName(), QStringLiteral("Save"));
    QTest::mouseClick(save, Qt::LeftButton);
    QCOMPARE(promoted.count(), 1);
    QCOMPARE(promoted.at(0).at(0).toString(), cited);
    QTRY_VERIFY(!m_page->findChild<PromoteDialog *>()); // closed and deleted

    const KnowledgeEntry after = *m_fx->desk()->knowledgeEntry(cited);
    QCOMPARE(after.solution, reply);
    QCOMPARE(after.title, before.title);
    QCOMPARE(after.source, QStringLiteral("promoted"));
    QCOMPARE(m_fx->desk()->knowledgeOrigin(cited),
             QStringLiteral("session:%1/turn:%2").arg(session).arg(turn));
    bool audited = false;
    for (const AuditLog::Entry &e : m_fx->bot->auditLog()->entries())
        audited = audited || (e.action == QLatin1String("knowledge.promote") &&
                              e.target == QStringLiteral("turn:%1").arg(turn) && e.detail == cited);
    QVERIFY(audited);
    // The bot answers from the new text: the next customer with the question gets it.
    const QString im = m_fx->customerWrites(QStringLiteral("ou_p2b"), QStringLiteral("远程解锁失败怎么办"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(im), 1, 10000);
    QVERIFY(m_fx->desk()->searchKnowledge(QStringLiteral("长按解锁键三秒")).value(0).id == cited);
}

void TestPromoteReply::replyBecomesANewEntryAndInvalidInputIsRefused()
{
    const QString reply = QStringLiteral("这个型号需要到服务站升级T-Box固件，大约二十分钟。");
    qint64 session = 0;
    QString cited;
    qint64 turn = 0;
    operatorReplies(QStringLiteral("ou_p3"), reply, &session, &cited, &turn);
    QVERIFY(turn > 0);
    PromoteDialog *dialog = pressPromote();
    QVERIFY(dialog);
    QVERIFY(dialog->setUpdateEntryId(QString()));
    QVERIFY(dialog->form()->isNew());
    const KnowledgeEntry prefilled = dialog->form()->entry();
    QCOMPARE(prefilled.solution, reply);
    QCOMPARE(prefilled.title, QStringLiteral("远程解锁失败怎么办")); // from the customer's question
    QCOMPARE(prefilled.source, QStringLiteral("promoted"));

    // No title: refused with a message, the dialog stays, nothing is written.
    auto *title = dialog->form()->findChild<QLineEdit *>(QStringLiteral("titleEdit"));
    QVERIFY(title);
    title->clear();
    QSignalSpy promoted(dialog, &PromoteDialog::promoted);
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("promoteSaveButton")), Qt::LeftButton);
    QCOMPARE(promoted.count(), 0);
    QVERIFY(dialog->isVisible());
    QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("promoteStatusLabel"))
                ->text()
                .contains(QStringLiteral("title")));

    title->setFocus();
    commitText(title, QStringLiteral("T-Box固件需要到服务站升级"));
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("promoteSaveButton")), Qt::LeftButton);
    QCOMPARE(promoted.count(), 1);
    const QString id = promoted.at(0).at(0).toString();
    QVERIFY(!id.isEmpty());
    QVERIFY(id != cited);
    const KnowledgeEntry saved = *m_fx->desk()->knowledgeEntry(id);
    QCOMPARE(saved.title, QStringLiteral("T-Box固件需要到服务站升级"));
    QCOMPARE(saved.solution, reply);
    QCOMPARE(saved.source, QStringLiteral("promoted"));
    QCOMPARE(m_fx->desk()->knowledgeOrigin(id), QStringLiteral("session:%1/turn:%2").arg(session).arg(turn));
    QVERIFY(m_fx->desk()->knowledgeOrigin(cited).isEmpty()); // the cited entry is untouched
}

void TestPromoteReply::screenshots()
{
    if (qEnvironmentVariableIsEmpty("TSP_SCREENSHOT_DIR"))
        QSKIP("set TSP_SCREENSHOT_DIR to save screenshots");
    qint64 session = 0, turn = 0;
    QString cited;
    operatorReplies(QStringLiteral("ou_shot"),
                    QStringLiteral("请先在App里退出登录再重新登录，然后长按解锁键三秒重试。"), &session,
                    &cited, &turn);
    QVERIFY(turn > 0);
    Screenshot::save(m_page.get(), QStringLiteral("conversations-promote"));
    PromoteDialog *dialog = m_page->promoteTurn(turn, m_page->threadView()->citedForPromotion(turn));
    Screenshot::save(dialog, QStringLiteral("promote-dialog"));
    dialog->close();
}

QTEST_MAIN(TestPromoteReply)
#include "tst_promotereply.moc"
