#pragma once

#include <QPlainTextEdit>
#include <QWidget>

#include "desk/desktypes.h"

class OperatorDesk;
class QAction;
class QComboBox;
class QLabel;
class QPushButton;

// The reply box: Ctrl+Enter sends (Enter is a new line).
class ReplyEdit final : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit ReplyEdit(QWidget *parent = nullptr);
    ~ReplyEdit() override;
    Q_DISABLE_COPY_MOVE(ReplyEdit)

signals:
    void sendRequested();

protected:
    void keyPressEvent(QKeyEvent *event) override;
};

// Takeover and the reply. The state line says who handles the session (its text is also the
// label's accessible description); Take over / Hand back and the mode selector change the
// session's mode through the desk; the default mode for new sessions sits next to them. In
// auto mode the reply box is read-only and says that the bot is handling the conversation.
// Send (Ctrl+Enter) sends an operator reply, or the edited draft after "Edit draft".
class Composer final : public QWidget
{
    Q_OBJECT
public:
    explicit Composer(OperatorDesk *desk, QWidget *parent = nullptr);
    ~Composer() override;
    Q_DISABLE_COPY_MOVE(Composer)

    // The session shown (nullopt = none); refreshes the mode, the state line and the buttons.
    void setSession(const std::optional<SessionSummary> &session);
    qint64 sessionId() const { return m_session ? m_session->id : 0; }
    ReplyEdit *editor() const { return m_edit; }
    QAction *knowledgeAction() const { return m_knowledgeAction; }
    qint64 editingDraftId() const { return m_editingDraft; }

public slots:
    void send();
    void takeOver();
    void handBack();
    void takeOverOrHandBack();
    // The draft's text goes into the reply box; Send then sends it as the edited draft.
    void beginEditDraft(qint64 draftId, const QString &text);
    void openKnowledgeSearch();
    void insertText(const QString &text);

signals:
    void actionFailed(const QString &message);
    void sent(qint64 turnId);

private:
    void updateState();
    void onModeChosen(int index);
    void onDefaultModeChosen(int index);

    OperatorDesk *m_desk = nullptr;
    std::optional<SessionSummary> m_session;
    qint64 m_editingDraft = 0;
    QLabel *m_state = nullptr;
    QPushButton *m_takeOver = nullptr;
    QPushButton *m_handBack = nullptr;
    QComboBox *m_mode = nullptr;
    QComboBox *m_defaultMode = nullptr;
    ReplyEdit *m_edit = nullptr;
    QPushButton *m_send = nullptr;
    QPushButton *m_knowledge = nullptr;
    QAction *m_knowledgeAction = nullptr;
    bool m_updating = false;
};
