#include "traycontroller.h"

#include <QAction>
#include <QDateTime>
#include <QMenu>
#include <QPainter>
#include <QPixmap>
#include <QSystemTrayIcon>

#include "applogging.h"
#include "connectionlook.h"

using namespace AppLogging;

TrayController::TrayController(QObject *parent)
    : QObject(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
    , m_menu(std::make_unique<QMenu>())
{
    m_showAction = m_menu->addAction(tr("Show the console"));
    connect(m_showAction, &QAction::triggered, this, &TrayController::showHideRequested);
    m_menu->addSeparator();
    m_pauseAction = m_menu->addAction(tr("Pause the bot (new conversations go to a person)"));
    m_pauseAction->setCheckable(true);
    connect(m_pauseAction, &QAction::triggered, this, &TrayController::pauseRequested);
    m_notificationsAction = m_menu->addAction(tr("Notifications"));
    m_notificationsAction->setCheckable(true);
    m_notificationsAction->setChecked(true);
    connect(m_notificationsAction, &QAction::triggered, this, [this](bool on) {
        setNotificationsEnabled(on);
        emit notificationsToggled(on);
    });
    m_menu->addSeparator();
    m_quitAction = m_menu->addAction(tr("Quit"));
    connect(m_quitAction, &QAction::triggered, this, &TrayController::quitRequested);

    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &TrayController::tryCreate);
    m_heldTimer.setSingleShot(true);
    connect(&m_heldTimer, &QTimer::timeout, this, &TrayController::flushHeld);
    m_stateWord = ConnectionLook::word(ConnectionHealth::State::Idle);
    refresh();
}

TrayController::~TrayController()
{
    if (m_tray)
        m_tray->hide();
}

void TrayController::start(int retryMs, int attempts)
{
    m_retryTimer.setInterval(retryMs);
    m_attemptsLeft = attempts;
    tryCreate();
}

bool TrayController::isAvailable() const
{
    return m_tray && m_tray->isVisible();
}

void TrayController::tryCreate()
{
    if (m_tray)
        return;
    if (!QSystemTrayIcon::isSystemTrayAvailable()) {
        if (m_attemptsLeft-- > 0)
            m_retryTimer.start();
        else
            qCInfo(lcApp) << "no system tray; closing the window quits (after asking)";
        return;
    }
    m_tray = new QSystemTrayIcon(this);
    m_tray->setContextMenu(m_menu.get());
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            emit showHideRequested();
    });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] { emit sessionRequested(m_lastSession); });
    refresh();
    m_tray->show();
    qCInfo(lcApp) << "tray icon shown; closing the window hides it to the tray";
    emit availabilityChanged(true);
}

void TrayController::setNotificationsEnabled(bool enabled)
{
    m_notificationsEnabled = enabled;
    m_notificationsAction->setChecked(enabled);
    if (!enabled) {
        m_heldTimer.stop();
        m_limiter.takeHeld();
    }
}

void TrayController::setHealth(const ConnectionHealth &health)
{
    switch (ConnectionLook::tone(health.state)) {
    case ConnectionLook::Tone::Ok:
        m_tone = Tone::Connected;
        break;
    case ConnectionLook::Tone::Error:
        m_tone = Tone::Error;
        break;
    case ConnectionLook::Tone::Busy:
    case ConnectionLook::Tone::Idle:
        m_tone = Tone::Reconnecting;
        break;
    }
    m_stateWord = ConnectionLook::word(health.state);
    m_paused = health.paused;
    m_pauseAction->setChecked(health.paused);
    refresh();
}

void TrayController::setCounts(int needsAttention, int draftsPending)
{
    m_badge = needsAttention;
    m_drafts = draftsPending;
    refresh();
}

void TrayController::setPaused(bool paused)
{
    m_paused = paused;
    m_pauseAction->setChecked(paused);
    refresh();
}

void TrayController::setWindowVisible(bool visible)
{
    m_showAction->setText(visible ? tr("Hide the console") : tr("Show the console"));
}

void TrayController::refresh()
{
    QString tip = tr("TSP Assistant: %1").arg(m_stateWord);
    if (m_paused)
        tip += QLatin1Char('\n') + tr("The bot is paused");
    tip += QLatin1Char('\n') + tr("%n conversation(s) need a person", nullptr, m_badge);
    tip += QLatin1Char('\n') + tr("%n draft(s) waiting", nullptr, m_drafts);
    m_toolTip = tip;
    m_iconImage = drawIcon(m_tone, m_badge);
    if (m_tray) {
        m_tray->setIcon(m_iconImage);
        m_tray->setToolTip(m_toolTip);
    }
}

QIcon TrayController::drawIcon(Tone tone, int badge)
{
    QColor color;
    switch (tone) {
    case Tone::Connected:
        color = ConnectionLook::color(ConnectionLook::Tone::Ok);
        break;
    case Tone::Reconnecting:
        color = ConnectionLook::color(ConnectionLook::Tone::Busy);
        break;
    case Tone::Error:
        color = ConnectionLook::color(ConnectionLook::Tone::Error);
        break;
    }
    QIcon icon;
    for (int size : {16, 22, 24, 32, 48, 64}) {
        QPixmap pm(size, size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        // A speech bubble in the state colour.
        const qreal m = size * 0.06;
        const QRectF bubble(m, m + size * 0.06, size - 2 * m, size * 0.66);
        p.setPen(Qt::NoPen);
        p.setBrush(color);
        p.drawRoundedRect(bubble, size * 0.18, size * 0.18);
        QPolygonF tail;
        tail << QPointF(size * 0.24, bubble.bottom() - 1) << QPointF(size * 0.22, size - m)
             << QPointF(size * 0.46, bubble.bottom() - 1);
        p.drawPolygon(tail);
        if (badge > 0) {
            const QString text = badge > 99 ? QStringLiteral("99+") : QString::number(badge);
            QFont f;
            f.setBold(true);
            f.setPixelSize(qMax(7, int(size * (text.size() > 2 ? 0.34 : 0.44))));
            p.setFont(f);
            const qreal d = size * 0.58;
            const QRectF badgeRect(size - d, 0, d, d);
            p.setBrush(QColor(0xd0, 0x31, 0x2d));
            p.setPen(QPen(Qt::white, qMax(1.0, size / 24.0)));
            p.drawEllipse(badgeRect.adjusted(0.5, 0.5, -0.5, -0.5));
            p.setPen(Qt::white);
            p.drawText(badgeRect, Qt::AlignCenter, text);
        }
        p.end();
        icon.addPixmap(pm);
    }
    return icon;
}

void TrayController::notify(qint64 sessionId, const QString &title, const QString &body)
{
    if (!m_notificationsEnabled)
        return;
    const qint64 t = now();
    // Held ones wait for their summary; a newcomer must not overtake it.
    if (m_limiter.held() == 0 && m_limiter.tryTake(t)) {
        show(sessionId, title, body);
        return;
    }
    m_limiter.hold();
    if (!m_heldTimer.isActive())
        m_heldTimer.start(int(qMax<qint64>(m_limiter.msUntilToken(t), 1)));
}

void TrayController::flushHeld()
{
    if (m_limiter.held() == 0 || !m_notificationsEnabled)
        return;
    const qint64 t = now();
    if (!m_limiter.tryTake(t)) {
        m_heldTimer.start(int(qMax<qint64>(m_limiter.msUntilToken(t), 1)));
        return;
    }
    const int n = m_limiter.takeHeld();
    show(0, tr("TSP Assistant"),
         tr("%n more conversation(s) need your attention. Open the console to see them.", nullptr, n));
}

void TrayController::show(qint64 sessionId, const QString &title, const QString &body)
{
    m_lastSession = sessionId;
    if (m_tray && m_tray->isVisible())
        m_tray->showMessage(title, body, m_iconImage, 10000);
    emit notificationShown(sessionId, title, body);
}
