#include "knowledge/knowledgepage.h"

#include <algorithm>

#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "knowledge/knowledgeentryform.h"
#include "knowledge/knowledgetablemodel.h"

using namespace Qt::Literals::StringLiterals;

namespace {

QString fieldLabel(const QString &field)
{
    if (field == u"title"_s)
        return KnowledgePage::tr("Title");
    if (field == u"category"_s)
        return KnowledgePage::tr("Category");
    if (field == u"vehicle_models"_s)
        return KnowledgePage::tr("Vehicle models");
    if (field == u"symptoms"_s)
        return KnowledgePage::tr("Symptoms");
    if (field == u"cause"_s)
        return KnowledgePage::tr("Cause");
    if (field == u"solution"_s)
        return KnowledgePage::tr("Solution");
    if (field == u"tags"_s)
        return KnowledgePage::tr("Tags");
    if (field == u"source"_s)
        return KnowledgePage::tr("Source");
    return field;
}

QString actionLabel(const QString &action)
{
    if (action == u"create"_s)
        return KnowledgePage::tr("Created");
    if (action == u"update"_s)
        return KnowledgePage::tr("Edited");
    if (action == u"delete"_s)
        return KnowledgePage::tr("Deleted");
    return action;
}

QString when(qint64 ms)
{
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), u"yyyy-MM-dd HH:mm:ss"_s);
}

QPushButton *button(const QString &text, const QString &accessible, const QString &objectName,
                    QWidget *parent)
{
    auto *b = new QPushButton(text, parent);
    b->setAccessibleName(accessible);
    b->setObjectName(objectName);
    return b;
}

} // namespace

KnowledgePage::KnowledgePage(KnowledgeDesk *desk, QWidget *parent)
    : QWidget(parent)
    , m_desk(desk)
    , m_model(new KnowledgeTableModel(desk, this))
{
    setObjectName(u"knowledgePage"_s);
    auto *outer = new QHBoxLayout(this);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    outer->addWidget(splitter);

    // --- Left: the table ---
    auto *left = new QWidget(splitter);
    auto *leftBox = new QVBoxLayout(left);
    leftBox->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    m_search = new QLineEdit(left);
    m_search->setObjectName(u"searchEdit"_s);
    m_search->setAccessibleName(tr("Search knowledge"));
    m_search->setPlaceholderText(tr("Search knowledge (as the bot searches)"));
    m_search->setClearButtonEnabled(true);
    bar->addWidget(m_search, 3);
    m_categoryFilter = new QComboBox(left);
    m_categoryFilter->setObjectName(u"categoryFilterCombo"_s);
    m_categoryFilter->setAccessibleName(tr("Category filter"));
    m_categoryFilter->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_categoryFilter->setMinimumContentsLength(8);
    bar->addWidget(m_categoryFilter, 1);
    m_new = button(tr("New entry"), tr("New entry"), u"newButton"_s, left);
    m_import = button(tr("Import…"), tr("Import knowledge"), u"importButton"_s, left);
    m_export = button(tr("Export…"), tr("Export knowledge"), u"exportButton"_s, left);
    bar->addWidget(m_new);
    bar->addWidget(m_import);
    bar->addWidget(m_export);
    leftBox->addLayout(bar);

    m_table = new QTableView(left);
    m_table->setObjectName(u"knowledgeTable"_s);
    m_table->setAccessibleName(tr("Knowledge"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(KnowledgeTableModel::Title, QHeaderView::Stretch);
    m_table->horizontalHeader()->setTextElideMode(Qt::ElideRight);
    // The other columns as narrow as their usual content (and their header) allow, so the Title
    // column gets the rest: at 1280x800 most titles must be readable.
    {
        const QFontMetrics fm = m_table->fontMetrics();
        const QFontMetrics hfm = m_table->horizontalHeader()->fontMetrics();
        const int pad = 2 * fm.averageCharWidth() + 6;
        const auto fit = [&](int column, std::initializer_list<QString> samples) {
            int w = hfm.horizontalAdvance(m_model->headerData(column, Qt::Horizontal).toString()) + pad;
            for (const QString &sample : samples)
                w = std::max(w, fm.horizontalAdvance(sample) + pad);
            m_table->setColumnWidth(column, w);
        };
        fit(KnowledgeTableModel::Id, {u"KB-00000"_s});
        fit(KnowledgeTableModel::Category, {u"远程诊断类"_s});
        fit(KnowledgeTableModel::VehicleModels, {u"全系车型型"_s});
        fit(KnowledgeTableModel::Updated, {u"2026-12-31"_s});
        fit(KnowledgeTableModel::Source,
            {KnowledgeTableModel::sourceText(u"imported"_s), KnowledgeTableModel::sourceText(u"operator"_s),
             KnowledgeTableModel::sourceText(u"promoted"_s), KnowledgeTableModel::sourceText(u"bitable"_s)});
        fit(KnowledgeTableModel::Citations, {u"000"_s});
    }
    leftBox->addWidget(m_table, 1);
    m_count = new QLabel(left);
    m_count->setObjectName(u"countLabel"_s);
    leftBox->addWidget(m_count);

    auto *transfer = new QHBoxLayout;
    m_progress = new QProgressBar(left);
    m_progress->setObjectName(u"transferProgressBar"_s);
    m_progress->setAccessibleName(tr("Import or export progress"));
    m_cancel = button(tr("Cancel"), tr("Cancel import or export"), u"cancelTransferButton"_s, left);
    transfer->addWidget(m_progress, 1);
    transfer->addWidget(m_cancel);
    leftBox->addLayout(transfer);
    m_transferStatus = new QLabel(left);
    m_transferStatus->setObjectName(u"transferStatusLabel"_s);
    m_transferStatus->setWordWrap(true);
    m_transferStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    leftBox->addWidget(m_transferStatus);
    m_transferErrors = new QListWidget(left);
    m_transferErrors->setObjectName(u"transferErrorsList"_s);
    m_transferErrors->setAccessibleName(tr("Import errors"));
    m_transferErrors->setMaximumHeight(120);
    leftBox->addWidget(m_transferErrors);
    m_progress->hide();
    m_cancel->hide();
    m_transferStatus->hide();
    m_transferErrors->hide();

    // --- Right: entry, history, gaps ---
    m_tabs = new QTabWidget(splitter);
    m_tabs->setObjectName(u"knowledgeTabs"_s);
    m_tabs->setAccessibleName(tr("Entry, history and gaps"));

    auto *entryTab = new QWidget(m_tabs);
    auto *entryBox = new QVBoxLayout(entryTab);
    auto *scroll = new QScrollArea(entryTab);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_form = new KnowledgeEntryForm(scroll);
    m_form->setObjectName(u"entryForm"_s);
    scroll->setWidget(m_form);
    entryBox->addWidget(scroll, 1);
    auto *actions = new QHBoxLayout;
    m_status = new QLabel(entryTab);
    m_status->setObjectName(u"saveStatusLabel"_s);
    m_status->setWordWrap(true);
    m_revert = button(tr("Revert"), tr("Revert changes"), u"revertButton"_s, entryTab);
    m_save = button(tr("Save"), tr("Save"), u"saveButton"_s, entryTab);
    m_save->setDefault(true);
    actions->addWidget(m_status, 1);
    actions->addWidget(m_revert);
    actions->addWidget(m_save);
    entryBox->addLayout(actions);
    auto *similarLabel =
        new QLabel(tr("Similar entries (edit one of these instead of adding a duplicate):"), entryTab);
    similarLabel->setWordWrap(true);
    entryBox->addWidget(similarLabel);
    m_similar = new QListWidget(entryTab);
    m_similar->setObjectName(u"similarList"_s);
    m_similar->setAccessibleName(tr("Similar entries"));
    m_similar->setMaximumHeight(110);
    entryBox->addWidget(m_similar);
    m_tabs->addTab(entryTab, tr("Entry"));

    auto *historyTab = new QWidget(m_tabs);
    auto *historyBox = new QVBoxLayout(historyTab);
    m_versions = new QTreeWidget(historyTab);
    m_versions->setObjectName(u"versionsTree"_s);
    m_versions->setAccessibleName(tr("Versions"));
    m_versions->setRootIsDecorated(false);
    m_versions->setHeaderLabels({tr("Version"), tr("When"), tr("Who"), tr("Change")});
    m_versions->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    historyBox->addWidget(m_versions, 2);
    m_diff = new QTreeWidget(historyTab);
    m_diff->setObjectName(u"diffTree"_s);
    m_diff->setAccessibleName(tr("Changes of the version"));
    m_diff->setRootIsDecorated(false);
    m_diff->setWordWrap(true);
    m_diff->setHeaderLabels({tr("Field"), tr("Before"), tr("After")});
    historyBox->addWidget(m_diff, 3);
    m_restore =
        button(tr("Restore this version"), tr("Restore this version"), u"restoreButton"_s, historyTab);
    m_restore->setEnabled(false);
    historyBox->addWidget(m_restore, 0, Qt::AlignRight);
    m_tabs->addTab(historyTab, tr("History"));

    auto *gapsTab = new QWidget(m_tabs);
    auto *gapsBox = new QVBoxLayout(gapsTab);
    auto *gapsLabel = new QLabel(
        tr("Questions of the last 30 days that the bot handed to a person because no entry fitted, grouped:"),
        gapsTab);
    gapsLabel->setWordWrap(true);
    gapsBox->addWidget(gapsLabel);
    m_gaps = new QTreeWidget(gapsTab);
    m_gaps->setObjectName(u"gapsTree"_s);
    m_gaps->setAccessibleName(tr("Knowledge gaps"));
    m_gaps->setRootIsDecorated(false);
    m_gaps->setHeaderLabels({tr("Count"), tr("Question"), tr("Category"), tr("Last asked")});
    m_gaps->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_gaps->header()->setStretchLastSection(false);
    gapsBox->addWidget(m_gaps, 1);
    auto *gapActions = new QHBoxLayout;
    m_gapRefresh = button(tr("Refresh"), tr("Refresh gaps"), u"refreshGapsButton"_s, gapsTab);
    m_gapEntry = button(tr("New entry from this group"), tr("New entry from this group"), u"gapEntryButton"_s,
                        gapsTab);
    m_gapEntry->setEnabled(false);
    gapActions->addWidget(m_gapRefresh);
    gapActions->addStretch(1);
    gapActions->addWidget(m_gapEntry);
    gapsBox->addLayout(gapActions);
    m_tabs->addTab(gapsTab, tr("Gaps"));

    splitter->addWidget(left);
    splitter->addWidget(m_tabs);
    // Two thirds for the table (its Title column must be readable at 1280x800), one for the form.
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({800, 400});

    // --- Behaviour ---
    m_searchTimer = new QTimer(this);
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(250);
    m_similarTimer = new QTimer(this);
    m_similarTimer->setSingleShot(true);
    m_similarTimer->setInterval(400);
    connect(m_search, &QLineEdit::textChanged, m_searchTimer, qOverload<>(&QTimer::start));
    connect(m_search, &QLineEdit::returnPressed, this, &KnowledgePage::applyFilter);
    connect(m_searchTimer, &QTimer::timeout, this, &KnowledgePage::applyFilter);
    connect(m_categoryFilter, &QComboBox::currentIndexChanged, this, &KnowledgePage::applyFilter);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    openEntry(m_model->idAt(current.row()));
            });
    // A screen reader selects a row without moving the current index: follow the selection too.
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this](const QItemSelection &selected) {
                if (selected.isEmpty())
                    return;
                const QString id = m_model->idAt(selected.indexes().constFirst().row());
                if (!id.isEmpty() && (m_form->isNew() || m_form->entry().id != id))
                    openEntry(id);
            });
    connect(m_new, &QPushButton::clicked, this, [this] { newEntry(); });
    connect(m_save, &QPushButton::clicked, this, &KnowledgePage::save);
    connect(m_revert, &QPushButton::clicked, this, [this] {
        if (m_form->isNew())
            newEntry();
        else
            openEntry(m_form->entry().id);
    });
    connect(m_form, &KnowledgeEntryForm::edited, m_similarTimer, qOverload<>(&QTimer::start));
    connect(m_similarTimer, &QTimer::timeout, this, &KnowledgePage::updateSimilar);
    connect(m_desk, &KnowledgeDesk::similarFound, this, &KnowledgePage::showSimilar);
    connect(m_similar, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { openEntry(item->data(Qt::UserRole).toString()); });
    connect(m_versions, &QTreeWidget::currentItemChanged, this, &KnowledgePage::showVersion);
    connect(m_restore, &QPushButton::clicked, this, &KnowledgePage::restoreVersion);
    connect(m_gaps, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem *item) { m_gapEntry->setEnabled(item != nullptr); });
    connect(m_gaps, &QTreeWidget::itemActivated, this, &KnowledgePage::newFromGap);
    connect(m_gapEntry, &QPushButton::clicked, this, &KnowledgePage::newFromGap);
    connect(m_gapRefresh, &QPushButton::clicked, this, &KnowledgePage::refreshGaps);
    connect(m_import, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Import knowledge"), {}, tr("Knowledge files (*.jsonl *.ndjson *.json *.csv)"));
        if (!path.isEmpty())
            importFile(path);
    });
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export knowledge"), u"knowledge.jsonl"_s,
                                                          tr("Knowledge files (*.jsonl *.json *.csv)"));
        if (!path.isEmpty())
            exportFile(path);
    });
    connect(m_cancel, &QPushButton::clicked, m_desk, &KnowledgeDesk::cancelTransfer);
    connect(m_desk, &KnowledgeDesk::transferProgress, this, &KnowledgePage::onTransferProgress);
    connect(m_desk, &KnowledgeDesk::transferFinished, this, &KnowledgePage::onTransferFinished);
    connect(m_desk, &KnowledgeDesk::entriesReset, this, &KnowledgePage::refreshCategories);
    connect(m_model, &KnowledgeTableModel::searchingChanged, this, [this](bool searching) {
        if (searching)
            m_count->setText(tr("Searching…"));
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_count->setText(m_model->query().text.isEmpty()
                             ? tr("%n entries", nullptr, m_desk->count(m_model->query()))
                             : tr("%n hits", nullptr, m_model->rowCount()));
    });

    refreshCategories();
    m_count->setText(tr("%n entries", nullptr, m_desk->count(m_model->query())));
    newEntry();
    refreshGaps();
}

KnowledgePage::~KnowledgePage() = default;

void KnowledgePage::setSimilarDelay(int ms)
{
    m_similarTimer->setInterval(ms);
    m_searchTimer->setInterval(ms);
}

void KnowledgePage::refreshCategories()
{
    const QStringList categories = m_desk->categories();
    const QString current = m_categoryFilter->currentData().toString();
    {
        const QSignalBlocker block(m_categoryFilter);
        m_categoryFilter->clear();
        m_categoryFilter->addItem(tr("All categories"), QString());
        for (const QString &c : categories)
            m_categoryFilter->addItem(c, c);
        m_categoryFilter->setCurrentIndex(std::max(0, m_categoryFilter->findData(current)));
    }
    m_form->setCategories(categories);
}

void KnowledgePage::applyFilter()
{
    m_searchTimer->stop();
    const KnowledgeQuery query{m_search->text().trimmed(), m_categoryFilter->currentData().toString()};
    if (query == m_model->query())
        return;
    m_model->setQuery(query);
}

void KnowledgePage::openEntry(const QString &id)
{
    const std::optional<KnowledgeEntry> e = m_desk->entry(id);
    if (!e) {
        setStatus(tr("The entry %1 no longer exists.").arg(id), true);
        return;
    }
    m_form->prefill(*e, false);
    setStatus({});
    updateSimilar();
    showHistory(id);
    const int row = m_model->rowOf(id);
    if (row >= 0 && m_table->currentIndex().row() != row) {
        const QSignalBlocker block(m_table->selectionModel());
        m_table->setCurrentIndex(m_model->index(row, 0));
    }
}

void KnowledgePage::newEntry(const KnowledgeEntry &prefill)
{
    KnowledgeEntry e = prefill;
    if (e.id.isEmpty())
        e.id = m_desk->nextId();
    if (e.source.isEmpty() || e.source == u"imported"_s)
        e.source = u"operator"_s;
    m_form->prefill(e, true);
    m_tabs->setCurrentIndex(0);
    setStatus({});
    m_versions->clear();
    m_diff->clear();
    m_restore->setEnabled(false);
    m_historyId.clear();
    updateSimilar();
}

bool KnowledgePage::save()
{
    const KnowledgeEntry e = m_form->entry();
    const QList<KnowledgeFieldError> problems = m_desk->validate(e, m_form->isNew());
    if (!problems.isEmpty()) {
        m_form->setErrors(problems);
        setStatus(tr("Not saved: correct the marked fields."), true);
        return false;
    }
    QString id;
    const DeskResult result = m_desk->save(e, m_form->isNew(), &id);
    if (!result.ok) {
        m_form->setErrors({KnowledgeFieldError{QString(), result.error}});
        setStatus(tr("Not saved."), true);
        return false;
    }
    refreshCategories();
    openEntry(id);
    setStatus(tr("Saved %1. The bot answers with the new text from now on.").arg(id));
    emit statusMessage(tr("Knowledge entry %1 saved").arg(id));
    return true;
}

void KnowledgePage::updateSimilar()
{
    m_similarTimer->stop();
    const KnowledgeEntry e = m_form->entry();
    m_similarSerial = m_desk->startSimilar(e, m_form->isNew() ? QString() : e.id);
}

void KnowledgePage::showSimilar(quint64 serial, const QList<CitedEntry> &hits)
{
    if (serial != m_similarSerial)
        return; // the form changed since
    m_similar->clear();
    for (const CitedEntry &h : hits) {
        auto *item = new QListWidgetItem(u"%1  %2"_s.arg(h.id, h.title), m_similar);
        item->setData(Qt::UserRole, h.id);
        item->setToolTip(tr("Score %1; activate to edit this entry instead").arg(h.score, 0, 'f', 2));
    }
    if (hits.isEmpty()) {
        auto *item = new QListWidgetItem(tr("No similar entries."), m_similar);
        item->setFlags(Qt::NoItemFlags);
    }
}

void KnowledgePage::showHistory(const QString &id)
{
    m_historyId = id;
    m_versions->clear();
    m_diff->clear();
    m_restore->setEnabled(false);
    const QList<KnowledgeHistoryItem> items = m_desk->history(id);
    for (qsizetype i = 0; i < items.size(); ++i) {
        const KnowledgeHistoryItem &h = items.at(i);
        QStringList fields;
        for (const KnowledgeFieldChange &c : h.changes)
            fields << fieldLabel(c.field);
        const QString change = fields.isEmpty()
                                   ? actionLabel(h.action)
                                   : QString(actionLabel(h.action) + u": "_s + fields.join(u", "_s));
        auto *item =
            new QTreeWidgetItem(m_versions, {QString::number(h.version), when(h.at), h.actor, change});
        item->setData(0, Qt::UserRole, h.version);
        item->setData(0, Qt::UserRole + 1, h.restorable && i > 0); // the newest is the current one
    }
}

void KnowledgePage::showVersion()
{
    m_diff->clear();
    const QTreeWidgetItem *current = m_versions->currentItem();
    m_restore->setEnabled(current && current->data(0, Qt::UserRole + 1).toBool());
    if (!current)
        return;
    const int version = current->data(0, Qt::UserRole).toInt();
    for (const KnowledgeHistoryItem &h : m_desk->history(m_historyId)) {
        if (h.version != version)
            continue;
        if (h.changes.isEmpty())
            new QTreeWidgetItem(m_diff, {tr("(first version)"), QString(), QString()});
        for (const KnowledgeFieldChange &c : h.changes) {
            auto *item = new QTreeWidgetItem(m_diff, {fieldLabel(c.field), c.before, c.after});
            item->setForeground(1, QColor(0xb0, 0x00, 0x20));
            item->setForeground(2, QColor(0x1b, 0x5e, 0x20));
            item->setToolTip(1, c.before);
            item->setToolTip(2, c.after);
        }
    }
}

void KnowledgePage::restoreVersion()
{
    const QTreeWidgetItem *current = m_versions->currentItem();
    if (!current || m_historyId.isEmpty())
        return;
    const int version = current->data(0, Qt::UserRole).toInt();
    const DeskResult result = m_desk->restore(m_historyId, version);
    if (!result.ok) {
        setStatus(result.error, true);
        return;
    }
    const QString id = m_historyId;
    openEntry(id);
    setStatus(tr("Version %1 restored as a new version.").arg(version));
}

void KnowledgePage::refreshGaps()
{
    m_gapList = m_desk->gaps();
    m_gaps->clear();
    for (qsizetype i = 0; i < m_gapList.size(); ++i) {
        const KnowledgeGap &g = m_gapList.at(i);
        auto *item =
            new QTreeWidgetItem(m_gaps, {QString::number(g.count), g.question, g.category, when(g.lastAt)});
        item->setData(0, Qt::UserRole, int(i));
        item->setToolTip(1, g.examples.join(QLatin1Char('\n')));
    }
    if (m_gapList.isEmpty()) {
        auto *item =
            new QTreeWidgetItem(m_gaps, {QString(), tr("No handed-off questions. Nothing is missing.")});
        item->setFlags(Qt::NoItemFlags);
    }
    m_gapEntry->setEnabled(false);
}

void KnowledgePage::newFromGap()
{
    const QTreeWidgetItem *item = m_gaps->currentItem();
    if (!item || !(item->flags() & Qt::ItemIsEnabled))
        return;
    const int i = item->data(0, Qt::UserRole).toInt();
    if (i < 0 || i >= m_gapList.size())
        return;
    newEntry(m_desk->entryFromGap(m_gapList.at(i)));
    setStatus(tr("A new entry from %n question(s). Write the solution, then save.", nullptr,
                 m_gapList.at(i).count));
}

bool KnowledgePage::importFile(const QString &path)
{
    m_transferErrors->clear();
    m_transferErrors->hide();
    if (!m_desk->startImport(path))
        return false;
    setTransferRunning(true, tr("Importing %1 …").arg(path));
    return true;
}

bool KnowledgePage::exportFile(const QString &path)
{
    m_transferErrors->clear();
    m_transferErrors->hide();
    if (!m_desk->startExport(path))
        return false;
    setTransferRunning(true, tr("Exporting to %1 …").arg(path));
    return true;
}

void KnowledgePage::setTransferRunning(bool running, const QString &what)
{
    m_progress->setVisible(running);
    m_cancel->setVisible(running);
    m_import->setEnabled(!running);
    m_export->setEnabled(!running);
    if (running) {
        m_progress->setRange(0, 0);
        m_transferStatus->setText(what);
        m_transferStatus->show();
    }
}

void KnowledgePage::onTransferProgress(qint64 done, qint64 total)
{
    if (total <= 0)
        return;
    m_progress->setRange(0, 1000);
    m_progress->setValue(int(done * 1000 / total));
    m_progress->setFormat(u"%1 / %2"_s.arg(done).arg(total));
}

void KnowledgePage::onTransferFinished(const KnowledgeTransferReport &r)
{
    setTransferRunning(false, {});
    QString text;
    const bool import = r.kind == KnowledgeTransferReport::Kind::Import;
    if (r.ok && import)
        text = tr("Imported %1 entries from %2: %3 new, %4 changed, %5 unchanged.")
                   .arg(r.total)
                   .arg(r.path)
                   .arg(r.created)
                   .arg(r.updated)
                   .arg(r.unchanged);
    else if (r.ok)
        text = tr("Exported %1 entries to %2.").arg(r.total).arg(r.path);
    else if (r.cancelled)
        text = import ? tr("Import cancelled: nothing was imported.")
                      : tr("Export cancelled: no file was written.");
    else if (!r.errors.isEmpty())
        text =
            tr("Nothing was imported: %n row(s) rejected.", nullptr, int(r.errors.size())) +
            (r.errorFile.isEmpty() ? QString() : QString(u" "_s + tr("The list is in %1.").arg(r.errorFile)));
    else
        text = (import ? tr("Import failed: %1") : tr("Export failed: %1")).arg(r.message);
    m_transferStatus->setText(text);
    m_transferStatus->setStyleSheet(r.ok ? QString() : u"color: #b00020;"_s);
    m_transferStatus->show();
    m_transferErrors->clear();
    m_transferErrors->addItems(r.errors);
    m_transferErrors->setVisible(!r.errors.isEmpty());
    emit statusMessage(text);
}

void KnowledgePage::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? u"color: #b00020;"_s : QString());
}
