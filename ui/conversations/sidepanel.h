#pragma once

#include <QWidget>

#include "desk/desktypes.h"

class OperatorDesk;
class QLabel;
class QLineEdit;
class QListWidget;

// What the operator wants to know next to a conversation: the AI analysis (category, urgency,
// entities, summary, suggested next step), the vehicle's earlier conversations (by VIN or
// plate; activating one asks to open it) and the session key, selectable.
class SidePanel final : public QWidget
{
    Q_OBJECT
public:
    explicit SidePanel(OperatorDesk *desk, QWidget *parent = nullptr);
    ~SidePanel() override;
    Q_DISABLE_COPY_MOVE(SidePanel)

    void setSession(const std::optional<SessionSummary> &session);
    QListWidget *historyList() const { return m_history; }
    // Puts a section of another page's making (the conversation's ticket) at the top.
    void addSection(QWidget *section);

public slots:
    void refresh();

signals:
    void openSessionRequested(qint64 sessionId);

private:
    OperatorDesk *m_desk = nullptr;
    std::optional<SessionSummary> m_session;
    QLabel *m_category = nullptr;
    QLabel *m_urgency = nullptr;
    QLabel *m_entities = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_nextStep = nullptr;
    QLabel *m_historyHint = nullptr;
    QListWidget *m_history = nullptr;
    QLineEdit *m_key = nullptr;
};
