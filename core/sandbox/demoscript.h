#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include "sandbox/feishusandbox.h"

// Scripted customers for --demo (and operator training): a few short conversations pushed
// through a FeishuSandbox exactly as the platform would, one step at a time. Each step waits for
// the bot's reply to it (or, where no reply is due, a quiet period) and logs both sides under
// tsp.sandbox, so a newcomer reading the log sees the conversations happen:
//   - a car owner in a direct chat, with a follow-up that needs the earlier turn;
//   - two people in a fleet group who @-mention the bot, and group chatter it must ignore;
//   - an owner in a second group (a separate session);
//   - a picture the bot cannot read, and a redelivery that must not be answered twice.
//
// The console's demo (setContinuous) never ends: a cast of customers writes every few seconds
// without waiting for answers (an operator may be holding a session): follow-ups, a second user
// in the same group, an escalation (smoke in the car), a group whose session the console puts in
// review mode (reviewChatId), and then the demo knowledge base's own symptom phrases, round-robin
// over the cast.
class DemoScript final : public QObject
{
    Q_OBJECT
public:
    struct Step
    {
        QString who; // display name for the log
        FeishuSandbox::TextPush push;
        bool expectReply = true;
        bool redeliverFirst = false; // instead of a new message: redeliver the first one pushed
    };
    struct Summary
    {
        int pushed = 0;
        int replies = 0;
        int unexpectedReplies = 0; // replies to steps that must stay unanswered
        int missingReplies = 0;    // steps whose reply did not come within the timeout
    };

    explicit DemoScript(FeishuSandbox *sandbox, QObject *parent = nullptr);
    ~DemoScript() override;
    Q_DISABLE_COPY_MOVE(DemoScript)

    static QList<Step> defaultSteps();
    // The console demo's opening conversations (continuous mode starts with these).
    static QList<Step> consoleSteps();
    // The group chat whose session the console demo sets to review mode.
    static QString reviewChatId();
    // Continuous mode: one step every intervalMs, no waiting for replies, never finishes; after
    // the steps, questions from the demo knowledge base.
    void setContinuous(bool continuous, int intervalMs = 4000);
    bool isContinuous() const { return m_continuous; }
    // Continuous mode, after the steps: the n-th message (a knowledge-base symptom, round-robin
    // over the cast; group members @-mention the bot).
    Step knowledgeStep(int n) const;
    void setSteps(const QList<Step> &steps) { m_steps = steps; }
    void setReplyTimeoutMs(int ms) { m_replyTimeoutMs = ms; }
    void setPauseMs(int ms) { m_pauseMs = ms; }

    // Starts with the first step (call once the bot is connected).
    void start();
    Summary summary() const { return m_summary; }
    bool isRunning() const { return m_running; }

signals:
    void finished(const DemoScript::Summary &summary);

private:
    void runStep();
    void onMessageSent(const FeishuSandboxSentMessage &message);
    void stepDone(bool timedOut);

    FeishuSandbox *m_sandbox = nullptr;
    QList<Step> m_steps;
    int m_index = -1;
    QString m_currentImId; // what the current step waits for a reply to
    QString m_firstImId;
    QString m_firstText;
    QTimer m_timeout;
    QTimer m_pause;
    int m_replyTimeoutMs = 20000;
    int m_pauseMs = 700;
    int m_quietMs = 1500; // steps without a reply: how long to watch for a wrong one
    bool m_running = false;
    bool m_continuous = false;
    int m_intervalMs = 4000;
    QStringList m_kbQuestions; // continuous mode: symptom phrases of the demo knowledge base
    Summary m_summary;
};
