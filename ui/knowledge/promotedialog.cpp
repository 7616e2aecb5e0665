#include "knowledge/promotedialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

#include "desk/operatordesk.h"
#include "knowledge/knowledgeentryform.h"

using namespace Qt::Literals::StringLiterals;

PromoteDialog::PromoteDialog(OperatorDesk *desk, qint64 turnId, const QList<CitedEntry> &cited,
                             QWidget *parent)
    : QDialog(parent)
    , m_desk(desk)
    , m_turnId(turnId)
    , m_draft(desk->promotionDraft(turnId))
{
    setObjectName(u"promoteDialog"_s);
    setWindowTitle(tr("Promote to knowledge"));
    setAccessibleName(tr("Promote to knowledge"));
    auto *box = new QVBoxLayout(this);

    auto *top = new QFormLayout;
    m_target = new QComboBox(this);
    m_target->setObjectName(u"promoteTargetCombo"_s);
    m_target->setAccessibleName(tr("Promote as"));
    m_target->addItem(tr("A new entry"), QString());
    for (const CitedEntry &c : cited) {
        if (c.id.isEmpty() || m_target->findData(c.id) >= 0 || !desk->knowledgeEntry(c.id))
            continue;
        m_target->addItem(tr("A new version of %1 %2 (cited by the bot)").arg(c.id, c.title), c.id);
    }
    top->addRow(tr("Promote as:"), m_target);
    const auto turn = desk->turn(turnId);
    m_origin = new QLabel(this);
    m_origin->setObjectName(u"originLabel"_s);
    m_origin->setWordWrap(true);
    m_origin->setText(turn ? tr("From conversation #%1, reply #%2. The entry keeps this link.")
                                 .arg(turn->sessionId)
                                 .arg(turnId)
                           : tr("The reply #%1 no longer exists.").arg(turnId));
    m_origin->setAccessibleDescription(m_origin->text());
    top->addRow(tr("Origin:"), m_origin);
    box->addLayout(top);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_form = new KnowledgeEntryForm(scroll);
    m_form->setObjectName(u"promoteForm"_s);
    scroll->setWidget(m_form);
    box->addWidget(scroll, 1);

    m_status = new QLabel(this);
    m_status->setObjectName(u"promoteStatusLabel"_s);
    m_status->setWordWrap(true);
    m_status->setStyleSheet(u"color: #b00020;"_s);
    m_status->hide();
    box->addWidget(m_status);

    auto *buttons = new QDialogButtonBox(this);
    m_save = buttons->addButton(tr("Save"), QDialogButtonBox::AcceptRole);
    m_save->setObjectName(u"promoteSaveButton"_s);
    m_save->setAccessibleName(tr("Save"));
    m_save->setDefault(true);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setAccessibleName(tr("Cancel"));
    box->addWidget(buttons);
    connect(m_save, &QPushButton::clicked, this, [this] {
        if (save())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_target, &QComboBox::currentIndexChanged, this, &PromoteDialog::prefillForTarget);

    // The bot cited an entry: updating it is what the operator most likely wants (no duplicate).
    if (m_target->count() > 1)
        m_target->setCurrentIndex(1);
    prefillForTarget();
    m_save->setEnabled(turn.has_value());
    resize(640, 620);
}

PromoteDialog::~PromoteDialog() = default;

QString PromoteDialog::updateEntryId() const
{
    return m_target->currentData().toString();
}

bool PromoteDialog::setUpdateEntryId(const QString &entryId)
{
    const int i = m_target->findData(entryId);
    if (i < 0)
        return false;
    m_target->setCurrentIndex(i);
    return true;
}

void PromoteDialog::prefillForTarget()
{
    const QString id = updateEntryId();
    if (id.isEmpty()) {
        m_form->prefill(m_draft, true);
        return;
    }
    // A new version of the cited entry: its fields, with the reply as the solution and the
    // customer's question added to the symptoms.
    KnowledgeEntry e = m_desk->knowledgeEntry(id).value_or(KnowledgeEntry{});
    e.id = id;
    e.solution = m_draft.solution;
    for (const QString &s : m_draft.symptoms) {
        if (!e.symptoms.contains(s))
            e.symptoms << s;
    }
    if (e.category.isEmpty())
        e.category = m_draft.category;
    m_form->prefill(e, false);
}

bool PromoteDialog::save()
{
    const DeskResult r = m_desk->promoteToKnowledge(m_turnId, m_form->entry(), updateEntryId());
    if (!r.ok) {
        m_form->setErrors({KnowledgeFieldError{QString(), r.error}});
        m_status->setText(tr("Not saved: %1").arg(r.error));
        m_status->show();
        return false;
    }
    m_status->hide();
    emit promoted(r.entryId);
    return true;
}
