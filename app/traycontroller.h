#pragma once

#include <functional>
#include <memory>

#include <QIcon>
#include <QObject>
#include <QTimer>

#include "desk/desktypes.h"
#include "notificationlimiter.h"

class QAction;
class QMenu;
class QSystemTrayIcon;

// The console in the system tray: an icon whose colour is the connection state (connected,
// reconnecting, error) with a badge for the conversations that need a person; a menu to show or
// hide the window, pause the bot and quit; and the desktop notifications for escalations and new
// drafts, rate-limited (a burst shows a few, then one summary) and switchable off.
//
// When no tray is available yet (the desktop's tray host starts after us), creation is retried
// for a while; availabilityChanged() tells the window whether closing may hide to the tray.
class TrayController final : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<qint64()>; // ms

    explicit TrayController(QObject *parent = nullptr);
    ~TrayController() override;
    Q_DISABLE_COPY_MOVE(TrayController)

    // Tests: a fake clock for the rate limit.
    void setClock(Clock clock) { m_clock = std::move(clock); }
    // Shows the icon now or, when no tray is available, retries every `retryMs` up to `attempts`.
    void start(int retryMs = 2000, int attempts = 60);
    bool isAvailable() const;

    void setNotificationsEnabled(bool enabled);
    bool notificationsEnabled() const { return m_notificationsEnabled; }

    enum class Tone { Connected, Reconnecting, Error };
    Q_ENUM(Tone)
    Tone tone() const { return m_tone; }
    int badge() const { return m_badge; }
    QString toolTip() const { return m_toolTip; }
    QIcon icon() const { return m_iconImage; }
    static QIcon drawIcon(Tone tone, int badge);

    QAction *pauseAction() const { return m_pauseAction; }
    QAction *notificationsAction() const { return m_notificationsAction; }

public slots:
    void setHealth(const ConnectionHealth &health);
    void setCounts(int needsAttention, int draftsPending);
    void setPaused(bool paused);
    void setWindowVisible(bool visible);
    // A notification for a session (escalation, new draft). sessionId 0 = no particular one.
    void notify(qint64 sessionId, const QString &title, const QString &body);
    // Shows the summary of held notifications when a token is available (the timer calls it).
    void flushHeld();

signals:
    void availabilityChanged(bool available);
    void showHideRequested();
    void activationRequested();
    void pauseRequested(bool paused);
    void notificationsToggled(bool enabled);
    void quitRequested();
    // The operator clicked a notification: open this session (0 = the next one needing a person).
    void sessionRequested(qint64 sessionId);
    // A notification was handed to the desktop (also when the tray is hidden, for tests).
    void notificationShown(qint64 sessionId, const QString &title, const QString &body);

private:
    void tryCreate();
    void refresh();
    void show(qint64 sessionId, const QString &title, const QString &body);
    qint64 now() const { return m_clock(); }

    Clock m_clock;
    NotificationLimiter m_limiter;
    std::unique_ptr<QMenu> m_menu;
    QSystemTrayIcon *m_tray = nullptr;
    QAction *m_showAction = nullptr;
    QAction *m_pauseAction = nullptr;
    QAction *m_notificationsAction = nullptr;
    QAction *m_quitAction = nullptr;
    QTimer m_retryTimer;
    QTimer m_heldTimer;
    int m_attemptsLeft = 0;
    bool m_notificationsEnabled = true;
    Tone m_tone = Tone::Reconnecting;
    QString m_stateWord;
    bool m_paused = false;
    int m_badge = 0;
    int m_drafts = 0;
    QString m_toolTip;
    QIcon m_iconImage;
    qint64 m_lastSession = 0; // the session of the notification on screen
};
