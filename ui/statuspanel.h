#pragma once

#include <QWidget>

#include "desk/desktypes.h"

class QLabel;

// The always-visible part of the status bar: the connection state as a colour and a word, the
// conversations that need a person and the drafts waiting for a decision. Fed from
// OperatorDesk::healthChanged and countsChanged; knows nothing else of core.
class StatusPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit StatusPanel(QWidget *parent = nullptr);
    ~StatusPanel() override;
    Q_DISABLE_COPY_MOVE(StatusPanel)

    QString connectionText() const;
    QColor connectionColor() const;
    QString attentionText() const;
    QString draftsText() const;
    int needsAttention() const { return m_needsAttention; }
    int draftsPending() const { return m_draftsPending; }

public slots:
    void setHealth(const ConnectionHealth &health);
    void setCounts(int needsAttention, int draftsPending);

signals:
    // The operator clicked the attention count: go to the next conversation that needs a person.
    void attentionClicked();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void refresh();

    ConnectionHealth m_health;
    int m_needsAttention = 0;
    int m_draftsPending = 0;
    QLabel *m_dot = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_attention = nullptr;
    QLabel *m_drafts = nullptr;
};
