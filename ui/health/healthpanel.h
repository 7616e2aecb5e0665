#pragma once

#include <functional>

#include <QHash>
#include <QList>
#include <QWidget>

#include "desk/desktypes.h"

class QLabel;
class QPushButton;
class QTimer;

// The connection-health panel: every figure of the ConnectionHealth snapshot, the relative
// times ticking once a second, the plain explanation of a terminal error with the fix on the
// Feishu side, and a Reconnect button. It is fed snapshots on the main thread (setHealth(), or
// OperatorDesk::healthChanged connected to it) and never reads anything across threads.
class HealthPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit HealthPanel(QWidget *parent = nullptr);
    ~HealthPanel() override;
    Q_DISABLE_COPY_MOVE(HealthPanel)

    void setHealth(const ConnectionHealth &health);
    const ConnectionHealth &health() const { return m_health; }
    // The text shown for a row (state, inState, lastEvent, ackLatency, reconnects, lastError,
    // hint, dedupe, token, outbox, oldestPending, llmLatency, llmError, terminal), for tests.
    QString rowText(const QString &key) const;
    // Tests pin the clock (ms since the epoch).
    void setClock(std::function<qint64()> clock);

signals:
    // The Reconnect button: the console calls OperatorDesk::reconnect().
    void reconnectRequested();

private:
    void refresh();
    QLabel *addRow(const QString &key, const QString &label, const QString &accessible);

    ConnectionHealth m_health;
    QHash<QString, QLabel *> m_rows;
    QList<QLabel *> m_labels; // the row names, one width for both groups
    QLabel *m_terminal = nullptr;
    QPushButton *m_reconnect = nullptr;
    QTimer *m_tick = nullptr;
    std::function<qint64()> m_clock;
    class QFormLayout *m_form = nullptr;
};
