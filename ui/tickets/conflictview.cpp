#include "conflictview.h"

#include <QButtonGroup>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QVBoxLayout>

#include "desk/ticketdesk.h"
#include "tickettext.h"

namespace {

QLabel *valueLabel(const QString &text, QWidget *parent)
{
    auto *l = new QLabel(text.isEmpty() ? ConflictView::tr("(empty)") : text, parent);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->setMinimumWidth(120);
    return l;
}

} // namespace

ConflictView::ConflictView(TicketDesk *desk, QWidget *parent)
    : QWidget(parent)
    , m_desk(desk)
{
    setObjectName(QStringLiteral("conflictView"));
    m_heading = new QLabel(this);
    m_heading->setObjectName(QStringLiteral("conflictHeading"));
    m_heading->setWordWrap(true);
    QFont f = m_heading->font();
    f.setBold(true);
    m_heading->setFont(f);
    auto *hint = new QLabel(tr("This ticket was changed here and in Bitable since the last sync. Pick a "
                               "side for each field, or edit the result to merge both. Nothing is "
                               "overwritten until you apply."),
                            this);
    hint->setWordWrap(true);

    m_grid = new QWidget(this);
    m_gridLayout = new QGridLayout(m_grid);
    m_gridLayout->setColumnStretch(0, 0);
    m_gridLayout->setColumnStretch(1, 1);
    m_gridLayout->setColumnStretch(2, 1);
    m_gridLayout->setColumnStretch(3, 1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_grid);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("conflictError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();

    auto *allLocal = new QPushButton(tr("Keep all local"), this);
    allLocal->setObjectName(QStringLiteral("keepAllLocalButton"));
    allLocal->setAccessibleName(tr("Keep all local values"));
    auto *allRemote = new QPushButton(tr("Take all from Bitable"), this);
    allRemote->setObjectName(QStringLiteral("takeAllRemoteButton"));
    allRemote->setAccessibleName(tr("Take all values from Bitable"));
    auto *applyButton = new QPushButton(tr("Apply"), this);
    applyButton->setObjectName(QStringLiteral("applyConflictButton"));
    applyButton->setAccessibleName(tr("Apply the resolution"));
    applyButton->setDefault(true);
    auto *cancel = new QPushButton(tr("Cancel"), this);
    cancel->setObjectName(QStringLiteral("cancelConflictButton"));
    cancel->setAccessibleName(tr("Cancel the conflict resolution"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(allLocal);
    buttons->addWidget(allRemote);
    buttons->addStretch(1);
    buttons->addWidget(cancel);
    buttons->addWidget(applyButton);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(hint);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_error);
    layout->addLayout(buttons);

    connect(allLocal, &QPushButton::clicked, this, [this] { pickAll(Side::Local); });
    connect(allRemote, &QPushButton::clicked, this, [this] { pickAll(Side::Remote); });
    connect(applyButton, &QPushButton::clicked, this, &ConflictView::apply);
    connect(cancel, &QPushButton::clicked, this, &ConflictView::cancelled);
}

ConflictView::~ConflictView() = default;

void ConflictView::clearRows()
{
    for (Row &r : m_rows)
        delete r.group;
    m_rows.clear();
    m_keys.clear();
    while (QLayoutItem *item = m_gridLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}

QString ConflictView::shown(const QString &key, const QString &raw) const
{
    // Statuses are edited as Bitable's words (新建, 处理中, ...), which resolveConflict reads too.
    if (key == QLatin1String("status")) {
        const QString label = TicketStatus::label(raw);
        return label.isEmpty() ? raw : label;
    }
    return raw;
}

bool ConflictView::setTicket(qint64 ticketId)
{
    clearRows();
    m_error->hide();
    m_ticketId = ticketId;
    const auto c = m_desk->conflict(ticketId);
    if (!c) {
        m_heading->setText(tr("This ticket is not in conflict."));
        return false;
    }
    m_conflict = *c;
    const auto t = m_desk->ticket(ticketId);
    m_heading->setText(
        tr("Conflict in %1 %2").arg(t ? t->ticket.number : QString(), t ? t->ticket.title : QString()));

    auto *fieldHeader = new QLabel(tr("Field"), m_grid);
    auto *localHeader = new QLabel(tr("This console"), m_grid);
    auto *remoteHeader = new QLabel(tr("Bitable"), m_grid);
    auto *resultHeader = new QLabel(tr("Result"), m_grid);
    for (QLabel *h : {fieldHeader, localHeader, remoteHeader, resultHeader}) {
        QFont f = h->font();
        f.setBold(true);
        h->setFont(f);
    }
    m_gridLayout->addWidget(fieldHeader, 0, 0);
    m_gridLayout->addWidget(localHeader, 0, 1);
    m_gridLayout->addWidget(remoteHeader, 0, 2);
    m_gridLayout->addWidget(resultHeader, 0, 3);

    int row = 1;
    for (const TicketFields::Field &field : TicketFields::all()) {
        if (!field.compared)
            continue;
        const QString local = m_conflict.local.value(field.key);
        const QString remote = m_conflict.remote.value(field.key);
        if (local == remote)
            continue;
        const QString name = TicketText::field(field.key);
        Row r;
        r.local = local;
        r.remote = remote;
        r.group = new QButtonGroup(this);
        auto *nameLabel = new QLabel(name, m_grid);
        if (m_conflict.fields.contains(field.key)) {
            nameLabel->setText(tr("%1 (both changed)").arg(name));
            nameLabel->setStyleSheet(QStringLiteral("color: #e65100;"));
        }
        nameLabel->setWordWrap(true);

        // One side: its pick and its value, side by side with the other.
        const auto sideCell = [&](Side side, const QString &prefix, const QString &accessibleName,
                                  const QString &value) {
            auto *cell = new QWidget(m_grid);
            auto *radio = new QRadioButton(cell);
            radio->setObjectName(prefix + field.key);
            radio->setAccessibleName(accessibleName);
            auto *l = new QHBoxLayout(cell);
            l->setContentsMargins(0, 0, 0, 0);
            l->addWidget(radio, 0, Qt::AlignTop);
            l->addWidget(valueLabel(TicketText::value(field.key, value), cell), 1);
            r.group->addButton(radio, int(side));
            return cell;
        };
        QWidget *localCell =
            sideCell(Side::Local, QStringLiteral("local_"), tr("Use this console's %1").arg(name), local);
        QWidget *remoteCell =
            sideCell(Side::Remote, QStringLiteral("remote_"), tr("Use Bitable's %1").arg(name), remote);
        r.result = new QLineEdit(m_grid);
        r.result->setObjectName(QStringLiteral("result_") + field.key);
        r.result->setAccessibleName(tr("Result for %1").arg(name));
        r.result->setMinimumWidth(150);

        m_gridLayout->addWidget(nameLabel, row, 0, Qt::AlignTop);
        m_gridLayout->addWidget(localCell, row, 1, Qt::AlignTop);
        m_gridLayout->addWidget(remoteCell, row, 2, Qt::AlignTop);
        m_gridLayout->addWidget(r.result, row, 3, Qt::AlignTop);
        ++row;

        const QString key = field.key;
        connect(r.group, &QButtonGroup::idClicked, this, [this, key](int id) { pick(key, Side(id)); });
        // Typing a value of its own unchecks both sides: the field is merged by hand.
        connect(r.result, &QLineEdit::textEdited, this, [this, key] {
            QButtonGroup *g = m_rows.value(key).group;
            g->setExclusive(false);
            for (QAbstractButton *b : g->buttons())
                b->setChecked(false);
            g->setExclusive(true);
        });
        m_keys << key;
        m_rows.insert(key, r);
        // Both changed: start on ours; only Bitable changed: start on Bitable's.
        const bool remoteOnly = m_conflict.base.value(key) == local && !m_conflict.fields.contains(key);
        pick(key, remoteOnly ? Side::Remote : Side::Local);
    }
    m_gridLayout->setRowStretch(row, 1);
    return true;
}

void ConflictView::pick(const QString &key, Side side)
{
    auto it = m_rows.find(key);
    if (it == m_rows.end())
        return;
    it->group->button(int(side))->setChecked(true);
    it->result->setText(shown(key, side == Side::Local ? it->local : it->remote));
    it->result->setCursorPosition(0); // the start of a long value, not its end
}

void ConflictView::pickAll(Side side)
{
    for (const QString &key : std::as_const(m_keys))
        pick(key, side);
}

void ConflictView::setResult(const QString &key, const QString &value)
{
    auto it = m_rows.find(key);
    if (it == m_rows.end())
        return;
    it->result->setText(value);
    emit it->result->textEdited(value);
}

QString ConflictView::result(const QString &key) const
{
    const auto it = m_rows.constFind(key);
    if (it == m_rows.constEnd())
        return {};
    const QString text = it->result->text().trimmed();
    if (key == QLatin1String("status")) {
        const QString code = TicketStatus::fromLabel(text);
        return code.isEmpty() ? text : code;
    }
    return text;
}

QString ConflictView::errorText() const
{
    return m_error->text();
}

bool ConflictView::apply()
{
    QHash<QString, QString> merged;
    bool allLocal = true;
    bool allRemote = true;
    for (const QString &key : std::as_const(m_keys)) {
        const Row &r = m_rows[key];
        const QString value = result(key);
        merged.insert(key, value);
        allLocal = allLocal && value == r.local;
        allRemote = allRemote && value == r.remote;
    }
    if (merged.contains(QStringLiteral("status")) &&
        !TicketStatus::isValid(merged.value(QStringLiteral("status")))) {
        m_error->setText(tr("\"%1\" is not a status. Use one of: %2.")
                             .arg(m_rows[QStringLiteral("status")].result->text(),
                                  QStringList{TicketStatus::label(QStringLiteral("new")),
                                              TicketStatus::label(QStringLiteral("in_progress")),
                                              TicketStatus::label(QStringLiteral("waiting_customer")),
                                              TicketStatus::label(QStringLiteral("resolved")),
                                              TicketStatus::label(QStringLiteral("closed"))}
                                      .join(QStringLiteral(", "))));
        m_error->show();
        return false;
    }
    const TicketStore::Resolution how = allLocal    ? TicketStore::Resolution::KeepLocal
                                        : allRemote ? TicketStore::Resolution::TakeRemote
                                                    : TicketStore::Resolution::Merge;
    const DeskResult r = m_desk->resolveConflict(
        m_ticketId, how, how == TicketStore::Resolution::Merge ? merged : QHash<QString, QString>{});
    if (!r.ok) {
        m_error->setText(tr("The conflict could not be resolved: %1").arg(r.error));
        m_error->show();
        return false;
    }
    m_error->clear();
    m_error->hide();
    emit resolved(m_ticketId);
    return true;
}
