#pragma once

#include <QFrame>

#include "desk/desktypes.h"

class OperatorDesk;
class QLabel;
class QLineEdit;
class QPushButton;

// The bot's draft in review mode, above the composer: its text (growing live while the LLM
// writes), sources and confidence, and the three decisions. Approve warns first, in the banner
// itself, when the customer wrote again after the draft was made. Edit hands the text to the
// composer (editRequested); Reject sends nothing, with an optional reason.
class DraftBanner final : public QFrame
{
    Q_OBJECT
public:
    explicit DraftBanner(OperatorDesk *desk, QWidget *parent = nullptr);
    ~DraftBanner() override;
    Q_DISABLE_COPY_MOVE(DraftBanner)

    // Shows the pending draft of `sessionId` (0 = none); hides itself when there is nothing.
    void setSession(qint64 sessionId);
    qint64 draftId() const { return m_draft.id; }
    bool isConfirming() const { return m_confirming; }

public slots:
    void approve();
    void edit();
    void reject();
    void refresh();

signals:
    void editRequested(qint64 draftId, const QString &text);
    void actionFailed(const QString &message);

private:
    void onStreaming(qint64 sessionId, const QString &textSoFar);
    void showDraft();
    void setConfirming(bool on);

    OperatorDesk *m_desk = nullptr;
    qint64 m_sessionId = 0;
    DraftView m_draft;
    bool m_confirming = false;
    QLabel *m_title = nullptr;
    QLabel *m_text = nullptr;
    QLabel *m_sources = nullptr;
    QLabel *m_warning = nullptr;
    QPushButton *m_approve = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_reject = nullptr;
    QLineEdit *m_reason = nullptr;
};
