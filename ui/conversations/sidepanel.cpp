#include "sidepanel.h"

#include <QDateTime>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

#include "conversationtext.h"
#include "desk/operatordesk.h"

namespace {

QLabel *valueLabel(const QString &objectName, const QString &accessibleName, QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setObjectName(objectName);
    l->setAccessibleName(accessibleName);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return l;
}

QString entityTypeName(const QString &type)
{
    if (type == QLatin1String("vin"))
        return SidePanel::tr("VIN");
    if (type == QLatin1String("plate"))
        return SidePanel::tr("Plate");
    if (type == QLatin1String("dtc"))
        return SidePanel::tr("DTC");
    if (type == QLatin1String("phone"))
        return SidePanel::tr("Phone");
    return type;
}

} // namespace

SidePanel::SidePanel(OperatorDesk *desk, QWidget *parent)
    : QWidget(parent)
    , m_desk(desk)
{
    setObjectName(QStringLiteral("sidePanel"));
    auto *analysis = new QGroupBox(tr("AI analysis"), this);
    m_category = valueLabel(QStringLiteral("categoryLabel"), tr("Category"), analysis);
    m_urgency = valueLabel(QStringLiteral("urgencyLabel"), tr("Urgency"), analysis);
    m_entities = valueLabel(QStringLiteral("entitiesLabel"), tr("Entities"), analysis);
    m_summary = valueLabel(QStringLiteral("summaryLabel"), tr("Summary"), analysis);
    m_nextStep = valueLabel(QStringLiteral("nextStepLabel"), tr("Suggested next step"), analysis);
    auto *form = new QFormLayout(analysis);
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    form->addRow(tr("Category"), m_category);
    form->addRow(tr("Urgency"), m_urgency);
    form->addRow(tr("Entities"), m_entities);
    form->addRow(tr("Summary"), m_summary);
    form->addRow(tr("Next step"), m_nextStep);

    auto *vehicle = new QGroupBox(tr("Earlier conversations of this vehicle"), this);
    m_historyHint = new QLabel(vehicle);
    m_historyHint->setWordWrap(true);
    m_history = new QListWidget(vehicle);
    m_history->setObjectName(QStringLiteral("vehicleHistoryList"));
    m_history->setAccessibleName(tr("Earlier conversations of this vehicle"));
    m_history->setToolTip(tr("Double-click or press Enter to open"));
    auto *vl = new QVBoxLayout(vehicle);
    vl->addWidget(m_historyHint);
    vl->addWidget(m_history, 1);
    vl->addStretch(); // keeps the hint at the top while the list is hidden

    auto *keyBox = new QGroupBox(tr("Session key"), this);
    m_key = new QLineEdit(keyBox);
    m_key->setObjectName(QStringLiteral("sessionKeyEdit"));
    m_key->setAccessibleName(tr("Session key"));
    m_key->setReadOnly(true);
    auto *kl = new QVBoxLayout(keyBox);
    kl->addWidget(m_key);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(analysis);
    layout->addWidget(vehicle, 1);
    layout->addWidget(keyBox);

    connect(m_history, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        emit openSessionRequested(item->data(Qt::UserRole).toLongLong());
    });
    connect(desk, &OperatorDesk::analysisUpdated, this, [this](qint64 sessionId) {
        if (m_session && sessionId == m_session->id) {
            m_session = m_desk->session(sessionId); // the VIN and plate come from the analysis
            refresh();
        }
    });
    refresh();
}

SidePanel::~SidePanel() = default;

void SidePanel::addSection(QWidget *section)
{
    section->setParent(this);
    static_cast<QVBoxLayout *>(layout())->insertWidget(0, section);
}

void SidePanel::setSession(const std::optional<SessionSummary> &session)
{
    m_session = session;
    // Nothing to show without a conversation: the thread's empty state says what to do.
    setVisible(session.has_value());
    refresh();
}

void SidePanel::refresh()
{
    const QString none = tr("—");
    const std::optional<AnalysisView> a = m_session ? m_desk->analysis(m_session->id) : std::nullopt;
    m_category->setText(a && !a->category.isEmpty() ? a->category : none);
    m_urgency->setText(a && !a->urgency.isEmpty() ? ConversationText::urgencyName(a->urgency) : none);
    QStringList entities;
    if (a)
        for (const EntityView &e : a->entities)
            entities << QStringLiteral("%1 %2%3").arg(entityTypeName(e.type), e.value,
                                                      e.valid ? QString() : QStringLiteral(" (?)"));
    m_entities->setText(entities.isEmpty() ? none : entities.join(QLatin1Char('\n')));
    m_summary->setText(a && !a->summary.isEmpty() ? a->summary : (m_session ? tr("Not analysed yet") : none));
    m_nextStep->setText(a && !a->nextStep.isEmpty() ? a->nextStep : none);

    m_history->clear();
    QString vin = m_session ? m_session->vin : QString();
    QString plate = m_session ? m_session->plate : QString();
    if (a)
        for (const EntityView &e : a->entities) {
            if (vin.isEmpty() && e.type == QLatin1String("vin") && e.valid)
                vin = e.value;
            if (plate.isEmpty() && e.type == QLatin1String("plate") && e.valid)
                plate = e.value;
        }
    if (!m_session) {
        m_historyHint->setText(QString());
    } else if (vin.isEmpty() && plate.isEmpty()) {
        m_historyHint->setText(tr("No VIN or plate known for this conversation yet."));
    } else {
        const QList<SessionSummary> earlier = m_desk->vehicleHistory(vin, plate, m_session->id);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (const SessionSummary &s : earlier) {
            auto *item = new QListWidgetItem(QStringLiteral("%1 · %2 · %3\n%4")
                                                 .arg(ConversationText::clockText(s.lastActiveAt, now),
                                                      ConversationText::customerName(s),
                                                      ConversationText::chatLabel(s), s.lastPreview),
                                             m_history);
            item->setData(Qt::UserRole, s.id);
        }
        m_historyHint->setText(earlier.isEmpty()
                                   ? tr("No earlier conversation of %1.").arg(vin.isEmpty() ? plate : vin)
                                   : tr("Found by %1.").arg(vin.isEmpty() ? plate : vin));
    }
    m_history->setVisible(m_history->count() > 0); // the hint says why there is none
    m_key->setText(m_session ? m_session->key : QString());
    m_key->setCursorPosition(0);
}
