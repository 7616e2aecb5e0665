#include "health/healthpanel.h"

#include <algorithm>

#include <QDateTime>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

#include "connectionlook.h"
#include "health/healthtext.h"

using namespace Qt::Literals::StringLiterals;

HealthPanel::HealthPanel(QWidget *parent)
    : QWidget(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    setObjectName(u"healthPanel"_s);
    setAccessibleName(tr("Connection"));
    auto *outer = new QVBoxLayout(this);
    auto *title = new QLabel(tr("Connection health"), this);
    QFont f = title->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.2);
    title->setFont(f);
    outer->addWidget(title);

    m_terminal = new QLabel(this);
    m_terminal->setObjectName(u"terminalLabel"_s);
    m_terminal->setWordWrap(true);
    m_terminal->setStyleSheet(u"QLabel { background: #fdecea; color: #611a15; border: 1px solid #f5c2c0;"
                              " border-radius: 4px; padding: 8px; }"_s);
    m_terminal->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_terminal->hide();
    outer->addWidget(m_terminal);

    auto *feishu = new QGroupBox(tr("Feishu long connection"), this);
    m_form = new QFormLayout(feishu);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    addRow(u"state"_s, tr("State"), tr("Connection state"));
    addRow(u"inState"_s, tr("In this state for"), tr("Time in this state"));
    addRow(u"lastEvent"_s, tr("Last event"), tr("Time since the last event"));
    addRow(u"ackLatency"_s, tr("ACK latency (last minute)"), tr("ACK latency"));
    addRow(u"reconnects"_s, tr("Reconnects today"), tr("Reconnects today"));
    addRow(u"lastError"_s, tr("Last error"), tr("Last error"));
    addRow(u"hint"_s, tr("What to do"), tr("What to do about the last error"));
    addRow(u"dedupe"_s, tr("Duplicates dropped"), tr("Duplicates dropped"));
    addRow(u"token"_s, tr("Tenant token expires"), tr("Tenant token expiry"));
    outer->addWidget(feishu);

    auto *delivery = new QGroupBox(tr("Replies and LLM"), this);
    m_form = new QFormLayout(delivery);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    addRow(u"outbox"_s, tr("Outbox"), tr("Outbox depth"));
    addRow(u"oldestPending"_s, tr("Oldest pending delivery"), tr("Oldest pending delivery"));
    addRow(u"llmLatency"_s, tr("LLM last latency"), tr("LLM last latency"));
    addRow(u"llmError"_s, tr("LLM last error"), tr("LLM last error"));
    outer->addWidget(delivery);
    // One label column for both groups: the values start at the same x in each.
    int labelWidth = 0;
    for (const QLabel *l : std::as_const(m_labels))
        labelWidth = std::max(labelWidth, l->sizeHint().width());
    for (QLabel *l : std::as_const(m_labels))
        l->setMinimumWidth(labelWidth);

    auto *buttons = new QHBoxLayout;
    m_reconnect = new QPushButton(tr("Reconnect"), this);
    m_reconnect->setObjectName(u"reconnectButton"_s);
    m_reconnect->setAccessibleName(tr("Reconnect"));
    m_reconnect->setToolTip(tr("Drop the connection and dial a fresh endpoint"));
    buttons->addStretch(1);
    buttons->addWidget(m_reconnect);
    outer->addLayout(buttons);
    outer->addStretch(1);
    connect(m_reconnect, &QPushButton::clicked, this, &HealthPanel::reconnectRequested);

    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &HealthPanel::refresh);
    m_tick->start();
    refresh();
}

HealthPanel::~HealthPanel() = default;

QLabel *HealthPanel::addRow(const QString &key, const QString &label, const QString &accessible)
{
    auto *value = new QLabel(this);
    value->setObjectName(key + u"Label"_s);
    value->setWordWrap(true);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A QLabel's accessible name would hide its text: the name goes to the description instead.
    value->setAccessibleDescription(accessible);
    auto *name = new QLabel(label, this);
    name->setObjectName(key + u"Name"_s);
    name->setBuddy(value);
    m_labels.append(name);
    m_form->addRow(name, value);
    m_rows.insert(key, value);
    return value;
}

void HealthPanel::setClock(std::function<qint64()> clock)
{
    m_clock = std::move(clock);
    refresh();
}

void HealthPanel::setHealth(const ConnectionHealth &health)
{
    m_health = health;
    refresh();
}

QString HealthPanel::rowText(const QString &key) const
{
    if (key == u"terminal"_s)
        return m_terminal->isVisibleTo(this) ? m_terminal->text() : QString();
    const QLabel *label = m_rows.value(key);
    return label ? label->text() : QString();
}

void HealthPanel::refresh()
{
    const ConnectionHealth &h = m_health;
    const qint64 now = m_clock();
    const auto set = [this](const QString &key, const QString &text) { m_rows.value(key)->setText(text); };
    QString state = ConnectionLook::word(h.state); // the status bar's word too
    if (h.paused)
        state += u" · "_s + tr("bot paused");
    set(u"state"_s, state);
    m_rows.value(u"state"_s)
        ->setStyleSheet(h.state == ConnectionHealth::State::Connected
                            ? u"color: #1b5e20; font-weight: bold;"_s
                            : (h.state == ConnectionHealth::State::Failed
                                   ? u"color: #b00020; font-weight: bold;"_s
                                   : u"color: #8a6d00; font-weight: bold;"_s));
    set(u"inState"_s, h.stateSince > 0 ? HealthText::duration(now - h.stateSince) : tr("–"));
    set(u"lastEvent"_s, HealthText::since(h.lastEventAt, now));
    set(u"ackLatency"_s, h.ackLatencyMedianMs < 0 ? HealthText::latency(-1)
                                                  : tr("median %1, p99 %2")
                                                        .arg(HealthText::latency(h.ackLatencyMedianMs),
                                                             HealthText::latency(h.ackLatencyP99Ms)));
    set(u"reconnects"_s, tr("%1 (since start: %2)").arg(h.reconnectsToday).arg(h.reconnects));
    set(u"lastError"_s, h.lastError.isEmpty()  ? tr("none")
                        : h.lastErrorCode != 0 ? tr("%1 (code %2)").arg(h.lastError).arg(h.lastErrorCode)
                                               : h.lastError);
    const QString hint = HealthText::hint(h);
    set(u"hint"_s, hint.isEmpty() ? tr("–") : hint);
    set(u"dedupe"_s, QString::number(h.dedupeHits));
    set(u"token"_s, HealthText::tokenExpiry(h.tokenExpiresAt, now));
    set(u"outbox"_s, h.outboxDepth > 0 ? tr("%n repl(ies) waiting", nullptr, h.outboxDepth) : tr("empty"));
    set(u"oldestPending"_s, h.outboxDepth > 0 ? HealthText::since(h.oldestPendingAt, now) : tr("–"));
    set(u"llmLatency"_s, h.llmLastLatencyMs >= 0 ? tr("%1 ms").arg(h.llmLastLatencyMs) : tr("no call yet"));
    set(u"llmError"_s, h.llmLastError.isEmpty() ? tr("none") : h.llmLastError);
    const QString terminal = HealthText::terminalExplanation(h);
    m_terminal->setText(terminal);
    m_terminal->setVisible(!terminal.isEmpty());
    setToolTip(HealthText::tooltip(h, now));
}
