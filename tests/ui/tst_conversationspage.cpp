// The Conversations page driven through its widgets, over the real desk with the sandbox as
// Feishu: takeover and send, hand back, the draft decisions with their audit trail, a failed
// delivery and its retry, empty states and accessible names.
#include <QAbstractButton>
#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QtTest>

#include "botdeskfixture.h"
#include "conversations/composer.h"
#include "conversations/conversationfilterproxy.h"
#include "conversations/conversationlistmodel.h"
#include "conversations/conversationspage.h"
#include "conversations/conversationtext.h"
#include "conversations/draftbanner.h"
#include "conversations/knowledgedialogs.h"
#include "conversations/sidepanel.h"
#include "conversations/threadmodel.h"
#include "conversations/threadview.h"
#include "screenshot.h"
#include "storage/auditlog.h"

class TestConversationsPage final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { Screenshot::loadTranslation(); }
    void init();
    void cleanup();

    void emptyStatesSayWhatToDo();
    void controlsHaveAccessibleNames();
    void takeOverThenSendReachesTheCustomerOnceAndTheBotStaysQuiet();
    void handBackLetsTheBotAnswerAgain();
    void approveSendsTheDraftAsItIs();
    void editAndSendSendsTheOperatorsText();
    void rejectSendsNothingAndKeepsTheSession();
    void failedDeliveryShowsAndRetrySendsOnce();
    void nextNeedingAttentionAndOpenSession();
    void vehicleHistoryListsTheSameVehiclesConversations();
    void approveAsksAgainWhenTheCustomerWroteSince();
    void ctrlKInsertsAKnowledgeSolution();
    void scrollingUpLoadsOlderTurns();

private:
    // A customer in its own direct chat; returns the session once the bot has answered (auto)
    // or the draft is there (review).
    qint64 converse(const QString &openId, const QString &text);
    // Waits until everything pushed before has been handled: a message in a fresh auto session
    // gets its answer (the pipeline handles pushes in order).
    void barrier();
    template<typename T> T *child(const QString &name) const
    {
        T *w = m_page->findChild<T *>(name);
        if (!w)
            qWarning("no child %s", qPrintable(name));
        return w;
    }
    QList<AuditLog::Entry> audit() const { return m_fx->bot->auditLog()->entries(); }
    void typeReplyAndSend(const QString &text);
    // Chinese text arrives from the input method as a committed string (QTest::keyClicks is
    // ASCII only).
    static void commitText(QWidget *w, const QString &text)
    {
        QInputMethodEvent e;
        e.setCommitString(text);
        QCoreApplication::sendEvent(w, &e);
    }

    std::unique_ptr<BotDeskFixture> m_fx;
    std::unique_ptr<ConversationsPage> m_page;
    int m_barriers = 0;
};

void TestConversationsPage::init()
{
    m_fx = std::make_unique<BotDeskFixture>();
    QString error;
    QVERIFY2(m_fx->start(&error), qPrintable(error));
    m_page = std::make_unique<ConversationsPage>(m_fx->desk());
    m_page->resize(1280, 800);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
}

void TestConversationsPage::cleanup()
{
    m_page.reset();
    m_fx.reset();
}

qint64 TestConversationsPage::converse(const QString &openId, const QString &text)
{
    const QString im = m_fx->customerWrites(openId, text);
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 10000) {
        const qint64 sid = m_fx->sessionOf(openId);
        if (sid > 0 && (m_fx->repliesTo(im) > 0 || m_fx->desk()->pendingDraft(sid)))
            return sid;
        QTest::qWait(20);
    }
    return 0;
}

void TestConversationsPage::barrier()
{
    const QString id = QStringLiteral("ou_barrier_%1").arg(++m_barriers);
    const QString im = m_fx->customerWrites(id, QStringLiteral("远程解锁失败"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(im), 1, 10000);
}

void TestConversationsPage::typeReplyAndSend(const QString &text)
{
    ReplyEdit *edit = m_page->composer()->editor();
    QVERIFY(!edit->isReadOnly());
    edit->setFocus();
    commitText(edit, text);
    QCOMPARE(edit->toPlainText(), text);
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
}

void TestConversationsPage::emptyStatesSayWhatToDo()
{
    auto *listEmpty = child<QLabel>(QStringLiteral("listEmptyLabel"));
    auto *threadEmpty = child<QLabel>(QStringLiteral("threadEmptyLabel"));
    QVERIFY(listEmpty && threadEmpty);
    QVERIFY(listEmpty->isVisible());
    QVERIFY(listEmpty->text().contains(QStringLiteral("Feishu")));
    QVERIFY(threadEmpty->isVisible());
    QVERIFY(threadEmpty->text().contains(QStringLiteral("pick one on the left")));

    const qint64 sid = converse(QStringLiteral("ou_a"), QStringLiteral("远程解锁失败"));
    QVERIFY(sid > 0);
    QTRY_VERIFY_WITH_TIMEOUT(m_page->listView()->isVisible(), 5000);
    QVERIFY(!listEmpty->isVisible());
    // A filter that matches nothing says so.
    commitText(m_page->searchEdit(), QStringLiteral("没有这样的会话"));
    QTRY_VERIFY_WITH_TIMEOUT(listEmpty->isVisible(), 5000);
    QVERIFY(listEmpty->text().contains(QStringLiteral("clear the search")));
    m_page->searchEdit()->clear();
    QTRY_VERIFY_WITH_TIMEOUT(m_page->listView()->isVisible(), 5000);
    m_page->openSession(sid);
    QVERIFY(!threadEmpty->isVisible());
    QCOMPARE(m_page->currentSessionId(), sid);
}

void TestConversationsPage::controlsHaveAccessibleNames()
{
    const QList<QPair<QString, QString>> expected = {
        {QStringLiteral("conversationList"), QStringLiteral("Conversations")},
        {QStringLiteral("threadView"), QStringLiteral("Thread")},
        {QStringLiteral("replyEdit"), QStringLiteral("Reply")},
        {QStringLiteral("sendButton"), QStringLiteral("Send")},
        {QStringLiteral("takeOverButton"), QStringLiteral("Take over")},
        {QStringLiteral("handBackButton"), QStringLiteral("Hand back")},
        {QStringLiteral("modeCombo"), QStringLiteral("Mode")},
        {QStringLiteral("approveButton"), QStringLiteral("Approve")},
        {QStringLiteral("editDraftButton"), QStringLiteral("Edit draft")},
        {QStringLiteral("rejectButton"), QStringLiteral("Reject")},
        {QStringLiteral("searchEdit"), QStringLiteral("Search conversations")},
    };
    for (const auto &[object, name] : expected) {
        auto *w = m_page->findChild<QWidget *>(object);
        QVERIFY2(w, qPrintable(object));
        QCOMPARE(w->accessibleName(), name);
    }
    // Every interactive control has a name (the parts Qt builds inside a combo box or a line
    // edit, such as the clear button, are named by their owner).
    const auto insideCompound = [this](QWidget *w) {
        for (QWidget *p = w->parentWidget(); p && p != m_page.get(); p = p->parentWidget())
            if (p->inherits("QComboBox") || p->inherits("QLineEdit"))
                return true;
        return false;
    };
    const QList<QWidget *> all = m_page->findChildren<QWidget *>();
    for (QWidget *w : all) {
        const bool interactive = qobject_cast<QAbstractButton *>(w) || qobject_cast<QLineEdit *>(w) ||
                                 qobject_cast<QAbstractItemView *>(w) || qobject_cast<QPlainTextEdit *>(w) ||
                                 w->inherits("QComboBox");
        if (interactive && !insideCompound(w))
            QVERIFY2(!w->accessibleName().isEmpty(),
                     qPrintable(QStringLiteral("%1 (%2)").arg(
                         w->objectName(), QString::fromLatin1(w->metaObject()->className()))));
    }
    // The state label exposes its text.
    const qint64 sid = converse(QStringLiteral("ou_a"), QStringLiteral("远程解锁失败"));
    m_page->openSession(sid);
    auto *state = child<QLabel>(QStringLiteral("sessionStateLabel"));
    QVERIFY(state);
    QVERIFY(state->accessibleDescription().contains(QStringLiteral("bot is handling")));
    QCOMPARE(state->accessibleDescription(), state->text());
}

void TestConversationsPage::takeOverThenSendReachesTheCustomerOnceAndTheBotStaysQuiet()
{
    const qint64 sid = converse(QStringLiteral("ou_a"), QStringLiteral("远程解锁失败"));
    QVERIFY(sid > 0);
    m_page->openSession(sid);
    ReplyEdit *edit = m_page->composer()->editor();
    QVERIFY(edit->isReadOnly()); // auto: the bot is handling it
    QVERIFY(edit->placeholderText().contains(QStringLiteral("bot is handling")));

    auto *takeOver = child<QPushButton>(QStringLiteral("takeOverButton"));
    QVERIFY(takeOver && takeOver->isVisible());
    QTest::mouseClick(takeOver, Qt::LeftButton);
    QCOMPARE(m_fx->desk()->session(sid)->mode, SessionMode::Manual);
    auto *state = child<QLabel>(QStringLiteral("sessionStateLabel"));
    QVERIFY(state->accessibleDescription().startsWith(QStringLiteral("Manual")));
    QVERIFY(!takeOver->isVisible());
    QVERIFY(child<QPushButton>(QStringLiteral("handBackButton"))->isVisible());

    const int before = int(m_fx->sandbox->sentMessages().size());
    typeReplyAndSend(QStringLiteral("您好，我是人工客服，马上为您处理"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->sentTexts().count(QStringLiteral("您好，我是人工客服，马上为您处理")), 1,
                              10000);
    QVERIFY(edit->toPlainText().isEmpty());
    // The operator's turn is in the thread, sent.
    QTRY_VERIFY_WITH_TIMEOUT(m_page->threadModel()->rowCount() >= 3, 5000);
    const int last = m_page->threadModel()->rowCount() - 1;
    QCOMPARE(m_page->threadModel()->index(last).data(ThreadModel::SpeakerRole).toInt(),
             int(TurnRole::Operator));
    QTRY_COMPARE_WITH_TIMEOUT(m_page->threadModel()->index(last).data(ThreadModel::DeliveryRole).toInt(),
                              int(Desk::DeliveryState::Sent), 10000);

    // The customer writes again: it shows, the bot stays quiet.
    const QString again = m_fx->customerWrites(QStringLiteral("ou_a"), QStringLiteral("好的，我等您"));
    QTRY_COMPARE_WITH_TIMEOUT(m_page->threadModel()
                                  ->index(m_page->threadModel()->rowCount() - 1)
                                  .data(ThreadModel::TextRole)
                                  .toString(),
                              QStringLiteral("好的，我等您"), 10000);
    barrier();
    QCOMPARE(m_fx->repliesTo(again), 0);
    QCOMPARE(int(m_fx->sandbox->sentMessages().size()), before + 2); // our reply + the barrier's answer
    QVERIFY(m_fx->desk()->session(sid)->needsOperator);
    QCOMPARE(m_fx->sandbox->duplicateUuidRequests(), 0);
}

void TestConversationsPage::handBackLetsTheBotAnswerAgain()
{
    const qint64 sid = converse(QStringLiteral("ou_a"), QStringLiteral("远程解锁失败"));
    m_page->openSession(sid);
    m_page->takeOverOrHandBack();
    QCOMPARE(m_fx->desk()->session(sid)->mode, SessionMode::Manual);
    auto *handBack = child<QPushButton>(QStringLiteral("handBackButton"));
    QTest::mouseClick(handBack, Qt::LeftButton);
    QCOMPARE(m_fx->desk()->session(sid)->mode, SessionMode::Auto);
    QVERIFY(m_page->composer()->editor()->isReadOnly());
    QVERIFY(child<QLabel>(QStringLiteral("sessionStateLabel"))
                ->accessibleDescription()
                .startsWith(QStringLiteral("Auto")));
    const QString again = m_fx->customerWrites(QStringLiteral("ou_a"), QStringLiteral("车机没网"));
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(again), 1, 10000);
    // Both changes are audited.
    int modeChanges = 0;
    for (const AuditLog::Entry &e : audit())
        modeChanges += e.target.contains(QString::number(sid)) || e.detail.contains(QString::number(sid));
    QVERIFY(modeChanges >= 2);
}

void TestConversationsPage::approveSendsTheDraftAsItIs()
{
    QVERIFY(m_fx->desk()->setDefaultMode(SessionMode::Review).ok);
    const QString im = m_fx->customerWrites(QStringLiteral("ou_r"), QStringLiteral("远程解锁失败"));
    QTRY_VERIFY_WITH_TIMEOUT(m_fx->sessionOf(QStringLiteral("ou_r")) > 0, 10000);
    const qint64 sid = m_fx->sessionOf(QStringLiteral("ou_r"));
    m_page->openSession(sid);
    DraftBanner *banner = m_page->draftBanner();
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible() && banner->draftId() > 0, 10000);
    const DraftView draft = *m_fx->desk()->pendingDraft(sid);
    QCOMPARE(banner->draftId(), draft.id);
    QCOMPARE(child<QLabel>(QStringLiteral("draftTextLabel"))->text(), draft.botText);
    // The title says what the figure is: the share of the question the best entry covers (the
    // search's coverage, recorded with the draft), not a confidence.
    QVERIFY(draft.coverage >= 0.0 && draft.coverage <= 1.0);
    QCOMPARE(child<QLabel>(QStringLiteral("draftTitleLabel"))->text(),
             QCoreApplication::translate("DraftBanner", "Draft from the bot · covers %1% of the question")
                 .arg(qRound(draft.coverage * 100)));
    // The sources name the entries by id and title (what an operator recognises); the search's
    // scores, which can exceed 1, are only in the tooltip.
    QVERIFY(!draft.cited.isEmpty() && !draft.cited.first().title.isEmpty());
    auto *sources = child<QLabel>(QStringLiteral("draftSourcesLabel"));
    QVERIFY2(sources->text().contains(draft.cited.first().id + QStringLiteral(" “") +
                                      draft.cited.first().title.simplified().left(24)),
             qPrintable(sources->text()));
    QVERIFY2(!sources->text().contains(QString::number(draft.cited.first().score, 'f', 2)),
             qPrintable(sources->text()));
    QVERIFY2(sources->toolTip().contains(QString::number(draft.cited.first().score, 'f', 2)),
             qPrintable(sources->toolTip()));
    Screenshot::save(m_page.get(), QStringLiteral("conversations-draft"));
    QCOMPARE(m_fx->repliesTo(im), 0); // nothing goes out before a person decides

    QTest::mouseClick(child<QPushButton>(QStringLiteral("approveButton")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(im), 1, 10000);
    QCOMPARE(m_fx->sentTexts().count(draft.botText.trimmed()), 1);
    QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), 5000);
    const DraftView decided = *m_fx->desk()->draft(draft.id);
    QCOMPARE(decided.state, QStringLiteral("approved"));
    QCOMPARE(decided.decidedBy, m_fx->desk()->operatorName());
    bool audited = false;
    for (const AuditLog::Entry &e : audit())
        audited |= e.action.contains(QStringLiteral("approve")) && e.actor == m_fx->desk()->operatorName();
    QVERIFY(audited);
}

void TestConversationsPage::editAndSendSendsTheOperatorsText()
{
    QVERIFY(m_fx->desk()->setDefaultMode(SessionMode::Review).ok);
    const QString im = m_fx->customerWrites(QStringLiteral("ou_e"), QStringLiteral("车机没网"));
    QTRY_VERIFY_WITH_TIMEOUT(m_fx->sessionOf(QStringLiteral("ou_e")) > 0, 10000);
    const qint64 sid = m_fx->sessionOf(QStringLiteral("ou_e"));
    m_page->openSession(sid);
    DraftBanner *banner = m_page->draftBanner();
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible() && banner->draftId() > 0, 10000);
    const DraftView draft = *m_fx->desk()->pendingDraft(sid);

    QTest::mouseClick(child<QPushButton>(QStringLiteral("editDraftButton")), Qt::LeftButton);
    ReplyEdit *edit = m_page->composer()->editor();
    QCOMPARE(edit->toPlainText(), draft.botText);
    QCOMPARE(m_page->composer()->editingDraftId(), draft.id);
    edit->selectAll();
    commitText(edit, QStringLiteral("请先重启车机，再检查流量套餐。"));
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);

    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(im), 1, 10000);
    QCOMPARE(m_fx->sentTexts().count(QStringLiteral("请先重启车机，再检查流量套餐。")), 1);
    QCOMPARE(m_fx->sentTexts().count(draft.botText.trimmed()), 0);
    const DraftView decided = *m_fx->desk()->draft(draft.id);
    QCOMPARE(decided.state, QStringLiteral("edited"));
    QCOMPARE(decided.botText, draft.botText); // the audit keeps what the bot wrote...
    QCOMPARE(decided.finalText, QStringLiteral("请先重启车机，再检查流量套餐。")); // ...and what was sent
    bool audited = false;
    for (const AuditLog::Entry &e : audit())
        audited |= e.action.contains(QStringLiteral("edit"));
    QVERIFY(audited);
}

void TestConversationsPage::rejectSendsNothingAndKeepsTheSession()
{
    QVERIFY(m_fx->desk()->setDefaultMode(SessionMode::Review).ok);
    const QString im = m_fx->customerWrites(QStringLiteral("ou_j"), QStringLiteral("车机没网"));
    QTRY_VERIFY_WITH_TIMEOUT(m_fx->sessionOf(QStringLiteral("ou_j")) > 0, 10000);
    const qint64 sid = m_fx->sessionOf(QStringLiteral("ou_j"));
    m_page->openSession(sid);
    DraftBanner *banner = m_page->draftBanner();
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible() && banner->draftId() > 0, 10000);
    const qint64 draftId = banner->draftId();

    commitText(child<QLineEdit>(QStringLiteral("rejectReasonEdit")), QStringLiteral("答非所问"));
    QTest::mouseClick(child<QPushButton>(QStringLiteral("rejectButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), 5000);
    const DraftView decided = *m_fx->desk()->draft(draftId);
    QCOMPARE(decided.state, QStringLiteral("rejected"));
    // The session stays with the operator: manual, and the header and the composer say so.
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->desk()->session(sid)->mode, SessionMode::Manual, 5000);
    QVERIFY(!m_page->composer()->editor()->isReadOnly());
    const auto *modeLabel = child<QLabel>(QStringLiteral("conversationModeLabel"));
    QTRY_VERIFY_WITH_TIMEOUT(modeLabel->text().startsWith(ConversationText::modeName(SessionMode::Manual)),
                             5000);
    QVERIFY(m_fx->desk()->setDefaultMode(SessionMode::Auto).ok); // the barrier's session answers
    barrier();
    QCOMPARE(m_fx->repliesTo(im), 0);
    bool audited = false;
    for (const AuditLog::Entry &e : audit())
        audited |=
            e.action.contains(QStringLiteral("reject")) && e.detail.contains(QStringLiteral("答非所问"));
    QVERIFY(audited);
}

void TestConversationsPage::failedDeliveryShowsAndRetrySendsOnce()
{
    const qint64 sid = converse(QStringLiteral("ou_f"), QStringLiteral("远程解锁失败"));
    m_page->openSession(sid);
    QTest::mouseClick(child<QPushButton>(QStringLiteral("takeOverButton")), Qt::LeftButton);
    m_fx->refuseMessages(true);
    typeReplyAndSend(QStringLiteral("请稍等，我查一下"));

    ThreadModel *thread = m_page->threadModel();
    QTRY_COMPARE_WITH_TIMEOUT(thread->index(thread->rowCount() - 1).data(ThreadModel::DeliveryRole).toInt(),
                              int(Desk::DeliveryState::Failed), 10000);
    const QModelIndex failed = thread->index(thread->rowCount() - 1);
    QVERIFY(!failed.data(ThreadModel::DeliveryErrorRole).toString().isEmpty());
    QVERIFY(failed.data(Qt::DisplayRole).toString().contains(QStringLiteral("Failed")));
    QCOMPARE(m_fx->sentTexts().count(QStringLiteral("请稍等，我查一下")), 0);

    ThreadView *view = m_page->threadView();
    QVERIFY(!view->retryAction()->isEnabled() || view->currentIndex() == failed);
    view->setCurrentIndex(failed);
    QVERIFY(view->retryAction()->isEnabled());
    m_fx->refuseMessages(false);
    view->retryAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->sentTexts().count(QStringLiteral("请稍等，我查一下")), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(thread->index(failed.row()).data(ThreadModel::DeliveryRole).toInt(),
                              int(Desk::DeliveryState::Sent), 10000);
    QVERIFY(!view->retryAction()->isEnabled());
}

void TestConversationsPage::nextNeedingAttentionAndOpenSession()
{
    const qint64 calm = converse(QStringLiteral("ou_calm"), QStringLiteral("远程解锁失败"));
    m_fx->desk()->markRead(calm);
    const qint64 urgent = converse(QStringLiteral("ou_urgent"), QStringLiteral("车辆冒烟了怎么办"));
    QTRY_VERIFY_WITH_TIMEOUT(m_fx->desk()->session(urgent)->needsOperator, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_page->proxy()->rowCount(), 2, 5000);
    m_page->openSession(calm);
    QCOMPARE(m_page->currentSessionId(), calm);
    m_page->nextAttentionAction()->trigger();
    QCOMPARE(m_page->currentSessionId(), urgent);
    // Opening a session hidden by a filter clears the filter.
    m_page->searchEdit()->setText(QStringLiteral("ou_urgent"));
    QTRY_COMPARE_WITH_TIMEOUT(m_page->proxy()->rowCount(), 1, 5000);
    m_page->openSession(calm);
    QCOMPARE(m_page->currentSessionId(), calm);
    QVERIFY(m_page->searchEdit()->text().isEmpty());
    QCOMPARE(m_page->proxy()->rowCount(), 2);
}

void TestConversationsPage::vehicleHistoryListsTheSameVehiclesConversations()
{
    const qint64 first =
        converse(QStringLiteral("ou_first"), QStringLiteral("LFV2A21K6E4123456 远程解锁失败"));
    const qint64 second =
        converse(QStringLiteral("ou_second"), QStringLiteral("车架号LFV2A21K6E4123456，数字钥匙用不了"));
    const qint64 unknown = converse(QStringLiteral("ou_other"), QStringLiteral("车机没网"));
    QTRY_COMPARE_WITH_TIMEOUT(m_page->proxy()->rowCount(), 3, 5000);
    QListWidget *history = m_page->sidePanel()->historyList();

    m_page->openSession(second);
    QTRY_COMPARE_WITH_TIMEOUT(history->count(), 1, 5000);
    QVERIFY(history->isVisible());
    QCOMPARE(history->item(0)->data(Qt::UserRole).toLongLong(), first);
    QVERIFY(history->item(0)->text().contains(QStringLiteral("ou_first")));

    // No VIN or plate: the hint says so, and no empty list is shown under it.
    m_page->openSession(unknown);
    QTRY_COMPARE_WITH_TIMEOUT(history->count(), 0, 5000);
    QVERIFY(!history->isVisible());
    const QList<QLabel *> labels = m_page->sidePanel()->findChildren<QLabel *>();
    QVERIFY(std::any_of(labels.cbegin(), labels.cend(), [](const QLabel *l) {
        return l->isVisible() && l->text().contains(QStringLiteral("No VIN or plate"));
    }));
}

void TestConversationsPage::approveAsksAgainWhenTheCustomerWroteSince()
{
    QVERIFY(m_fx->desk()->setDefaultMode(SessionMode::Review).ok);
    const QString im = m_fx->customerWrites(QStringLiteral("ou_w"), QStringLiteral("胎压报警灯亮了"));
    QTRY_VERIFY_WITH_TIMEOUT(m_fx->sessionOf(QStringLiteral("ou_w")) > 0 &&
                                 m_fx->desk()->pendingDraft(m_fx->sessionOf(QStringLiteral("ou_w"))),
                             10000);
    const qint64 sid = m_fx->sessionOf(QStringLiteral("ou_w"));
    m_page->openSession(sid);
    DraftBanner *banner = m_page->draftBanner();
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible() && banner->draftId() > 0, 10000);
    const qint64 draftId = banner->draftId();
    auto *warning = child<QLabel>(QStringLiteral("draftWarningLabel"));
    QVERIFY(!warning->isVisible());
    // Manual from here, so the customer's next words make no newer draft: the banner keeps this one.
    QVERIFY(m_fx->desk()->setMode(sid, SessionMode::Manual).ok);
    m_fx->customerWrites(QStringLiteral("ou_w"), QStringLiteral("补充一下，是左前轮"));
    QTRY_VERIFY_WITH_TIMEOUT(warning->isVisible(), 10000);
    QCOMPARE(banner->draftId(), draftId);
    QVERIFY(warning->text().contains(QStringLiteral("wrote again")));

    // The first Approve only asks; nothing is sent.
    auto *approve = child<QPushButton>(QStringLiteral("approveButton"));
    QTest::mouseClick(approve, Qt::LeftButton);
    QCOMPARE(approve->text(), QStringLiteral("Approve anyway"));
    QVERIFY(warning->accessibleDescription().contains(QStringLiteral("Approve anyway?")));
    QCOMPARE(m_fx->desk()->draft(draftId)->state, QStringLiteral("pending"));
    QTest::qWait(300);
    QCOMPARE(m_fx->repliesTo(im), 0);
    // The second sends the draft as it is, once.
    QTest::mouseClick(approve, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->repliesTo(im), 1, 10000);
    QCOMPARE(m_fx->desk()->draft(draftId)->state, QStringLiteral("approved"));
    QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), 5000);
    QCOMPARE(approve->text(), QStringLiteral("Approve"));
}

void TestConversationsPage::ctrlKInsertsAKnowledgeSolution()
{
    const qint64 sid = converse(QStringLiteral("ou_k"), QStringLiteral("远程解锁失败"));
    QVERIFY(sid > 0);
    m_page->openSession(sid);
    m_page->takeOverOrHandBack(); // manual: the composer is the operator's
    const qsizetype sentBefore = m_fx->sandbox->sentMessages().size();
    ReplyEdit *edit = m_page->composer()->editor();
    QVERIFY(!edit->isReadOnly());
    m_page->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
    edit->setFocus();
    edit->setPlainText(QStringLiteral("您好，"));
    edit->moveCursor(QTextCursor::End);
    QTest::keyClick(edit, Qt::Key_K, Qt::ControlModifier);
    KnowledgeSearchDialog *dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = m_page->findChild<KnowledgeSearchDialog *>()) && dialog->isVisible(),
                             5000);
    commitText(dialog->queryEdit(), QStringLiteral("远程解锁"));
    QTRY_VERIFY_WITH_TIMEOUT(dialog->resultList()->count() > 0, 5000);
    const QString id = dialog->resultList()->item(0)->data(Qt::UserRole).toString();
    const std::optional<KnowledgeEntry> entry = m_fx->desk()->knowledgeEntry(id);
    QVERIFY(entry && !entry->solution.isEmpty());
    QCOMPARE(dialog->findChild<QPlainTextEdit *>(QStringLiteral("knowledgePreviewEdit"))->toPlainText(),
             entry->solution);
    QTest::keyClick(dialog->queryEdit(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->findChild<KnowledgeSearchDialog *>(), 5000); // closed (deleted)
    QCOMPARE(edit->toPlainText(), QStringLiteral("您好，") + entry->solution);
    QTest::qWait(100);
    QCOMPARE(m_fx->sandbox->sentMessages().size(), sentBefore); // inserting sends nothing

    // Enter right after typing, before the worker's hits are in: the first hit of what was typed.
    edit->clear();
    m_page->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_page.get()));
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_K, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT((dialog = m_page->findChild<KnowledgeSearchDialog *>()) && dialog->isVisible(),
                             5000);
    dialog->queryEdit()->setText(QStringLiteral("数字钥匙"));
    QVERIFY(dialog->resultList()->count() == 0);
    QTest::keyClick(dialog->queryEdit(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!m_page->findChild<KnowledgeSearchDialog *>(), 5000);
    const std::optional<KnowledgeEntry> keyEntry =
        m_fx->desk()->knowledgeEntry(m_fx->desk()->searchKnowledge(QStringLiteral("数字钥匙")).value(0).id);
    QVERIFY(keyEntry);
    QCOMPARE(edit->toPlainText(), keyEntry->solution);
}

void TestConversationsPage::scrollingUpLoadsOlderTurns()
{
    const qint64 sid = converse(QStringLiteral("ou_s"), QStringLiteral("远程解锁失败"));
    QVERIFY(sid > 0);
    QVERIFY(m_fx->desk()->takeOver(sid).ok); // the bot stays quiet: only the customer's turns follow
    const int extra = 12;
    for (int i = 1; i <= extra; ++i)
        m_fx->customerWrites(QStringLiteral("ou_s"),
                             QStringLiteral("第%1条补充说明：车辆停在地下车库，信号很差，App 一直显示离线，"
                                            "重启手机和车机都试过了，还是不行。昨天在公司停车场也一样，"
                                            "远程空调和远程解锁都用不了，只能用实体钥匙开门。")
                                 .arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(m_fx->desk()->turns(sid, 0, 100).turns.size(), qsizetype(2 + extra), 10000);

    m_page->resize(1280, 480); // five turns overflow the thread: it can scroll
    m_page->threadModel()->setPageSize(5);
    m_page->openSession(sid);
    ThreadModel *model = m_page->threadModel();
    QCOMPARE(model->rowCount(), 5);
    QVERIFY(model->hasOlder());
    ThreadView *view = m_page->threadView();
    QScrollBar *bar = view->verticalScrollBar();
    QTRY_VERIFY_WITH_TIMEOUT(bar->maximum() > 0 && bar->value() > bar->minimum(), 5000); // near the newest
    QCOMPARE(model->rowCount(), 5);
    const qint64 topBefore = model->index(0).data(ThreadModel::TurnIdRole).toLongLong();

    // Scrolling to the top loads the page before, and what was at the top stays in view.
    bar->setValue(bar->minimum());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 10, 5000);
    const int row = model->rowOfTurn(topBefore);
    QCOMPARE(row, 5);
    QVERIFY(bar->value() > bar->minimum());
    QVERIFY(view->viewport()->rect().intersects(view->visualRect(model->index(row))));
    // Older turns come first, in order.
    QVERIFY(model->index(0).data(ThreadModel::TurnIdRole).toLongLong() <
            model->index(1).data(ThreadModel::TurnIdRole).toLongLong());
    bar->setValue(bar->minimum());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2 + extra, 5000);
    QVERIFY(!model->hasOlder());
    QCOMPARE(model->index(0).data(ThreadModel::TextRole).toString(), QStringLiteral("远程解锁失败"));
}

QTEST_MAIN(TestConversationsPage)
#include "tst_conversationspage.moc"
