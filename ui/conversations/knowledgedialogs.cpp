#include "knowledgedialogs.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "desk/operatordesk.h"

namespace {

QLabel *selectableLabel(const QString &text, const QString &name, QWidget *parent)
{
    auto *l = new QLabel(text, parent);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    l->setAccessibleName(name);
    return l;
}

} // namespace

KnowledgeEntryDialog::KnowledgeEntryDialog(const KnowledgeEntry &entry, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("knowledgeEntryDialog"));
    setWindowTitle(tr("Knowledge entry %1").arg(entry.id));
    setAccessibleName(tr("Knowledge entry"));
    auto *form = new QFormLayout;
    form->addRow(tr("Title"), selectableLabel(entry.title, tr("Title"), this));
    form->addRow(tr("Category"), selectableLabel(entry.category, tr("Category"), this));
    form->addRow(tr("Vehicle models"),
                 selectableLabel(entry.vehicleModels.join(QStringLiteral(", ")), tr("Vehicle models"), this));
    form->addRow(tr("Symptoms"),
                 selectableLabel(entry.symptoms.join(QStringLiteral("; ")), tr("Symptoms"), this));
    form->addRow(tr("Cause"), selectableLabel(entry.cause, tr("Cause"), this));
    form->addRow(tr("Solution"), selectableLabel(entry.solution, tr("Solution"), this));
    form->addRow(tr("Tags"), selectableLabel(entry.tags.join(QStringLiteral(", ")), tr("Tags"), this));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setAccessibleName(tr("Close"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(520, sizeHint().height());
}

KnowledgeEntryDialog::~KnowledgeEntryDialog() = default;

KnowledgeEntryDialog *KnowledgeEntryDialog::open(OperatorDesk *desk, const QString &id, QWidget *parent)
{
    const std::optional<KnowledgeEntry> entry = desk->knowledgeEntry(id);
    if (!entry) {
        QMessageBox::information(parent, tr("Knowledge entry"),
                                 tr("The knowledge entry %1 no longer exists.").arg(id));
        return nullptr;
    }
    auto *d = new KnowledgeEntryDialog(*entry, parent);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->show();
    return d;
}

KnowledgeSearchDialog::KnowledgeSearchDialog(OperatorDesk *desk, QWidget *parent)
    : QDialog(parent)
    , m_desk(desk)
{
    setObjectName(QStringLiteral("knowledgeSearchDialog"));
    setWindowTitle(tr("Insert from knowledge"));
    setAccessibleName(tr("Insert from knowledge"));
    m_query = new QLineEdit(this);
    m_query->setObjectName(QStringLiteral("knowledgeQueryEdit"));
    m_query->setAccessibleName(tr("Search knowledge"));
    m_query->setPlaceholderText(tr("Search knowledge, e.g. 车机没网"));
    m_query->setClearButtonEnabled(true);
    m_results = new QListWidget(this);
    m_results->setObjectName(QStringLiteral("knowledgeResultList"));
    m_results->setAccessibleName(tr("Knowledge results"));
    m_preview = new QPlainTextEdit(this);
    m_preview->setObjectName(QStringLiteral("knowledgePreviewEdit"));
    m_preview->setAccessibleName(tr("Solution preview"));
    m_preview->setReadOnly(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *insert = buttons->addButton(tr("Insert"), QDialogButtonBox::AcceptRole);
    insert->setObjectName(QStringLiteral("insertKnowledgeButton"));
    insert->setAccessibleName(tr("Insert"));
    buttons->button(QDialogButtonBox::Cancel)->setAccessibleName(tr("Cancel"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_query);
    layout->addWidget(m_results, 2);
    layout->addWidget(m_preview, 1);
    layout->addWidget(buttons);
    resize(560, 420);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(120);
    connect(&m_debounce, &QTimer::timeout, this, &KnowledgeSearchDialog::search);
    connect(m_query, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    connect(m_query, &QLineEdit::returnPressed, this, [this] {
        if (m_debounce.isActive())
            search();
        if (m_pending != 0)
            m_chooseWhenIn = true; // the first hit of what was typed, once it is in
        else
            choose();
    });
    connect(m_desk, &OperatorDesk::knowledgeSearchReady, this, &KnowledgeSearchDialog::showHits);
    connect(m_results, &QListWidget::currentRowChanged, this, &KnowledgeSearchDialog::showCurrent);
    connect(m_results, &QListWidget::itemActivated, this, &KnowledgeSearchDialog::choose);
    connect(buttons, &QDialogButtonBox::accepted, this, &KnowledgeSearchDialog::choose);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

KnowledgeSearchDialog::~KnowledgeSearchDialog() = default;

void KnowledgeSearchDialog::setQuery(const QString &text)
{
    m_query->setText(text);
    search();
}

void KnowledgeSearchDialog::search()
{
    m_debounce.stop();
    const QString q = m_query->text().trimmed();
    if (q.isEmpty()) {
        m_pending = 0;
        m_chooseWhenIn = false;
        m_results->clear();
        m_preview->clear();
        return;
    }
    m_pending = m_desk->requestKnowledgeSearch(q);
}

void KnowledgeSearchDialog::showHits(quint64 serial, const QList<CitedEntry> &hits)
{
    if (serial != m_pending)
        return; // typed on since
    m_pending = 0;
    m_results->clear();
    m_preview->clear();
    for (const CitedEntry &h : hits) {
        auto *item = new QListWidgetItem(
            QStringLiteral("%1  %2  (%3)").arg(h.id, h.title, QString::number(h.score, 'f', 2)), m_results);
        item->setData(Qt::UserRole, h.id);
    }
    if (m_results->count() > 0)
        m_results->setCurrentRow(0);
    if (std::exchange(m_chooseWhenIn, false))
        choose();
}

void KnowledgeSearchDialog::showCurrent()
{
    const QListWidgetItem *item = m_results->currentItem();
    if (!item) {
        m_preview->clear();
        return;
    }
    const std::optional<KnowledgeEntry> e = m_desk->knowledgeEntry(item->data(Qt::UserRole).toString());
    m_preview->setPlainText(e ? e->solution : QString());
}

void KnowledgeSearchDialog::choose()
{
    const QListWidgetItem *item = m_results->currentItem();
    if (!item)
        return;
    const std::optional<KnowledgeEntry> e = m_desk->knowledgeEntry(item->data(Qt::UserRole).toString());
    if (!e)
        return;
    emit solutionChosen(e->solution);
    accept();
}
