#include "logs/logpage.h"

#include <algorithm>

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QStandardPaths>
#include <QVBoxLayout>

#include "logs/logfilter.h"
#include "logs/logmodel.h"

LogPage::LogPage(LogModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_filter(new LogFilter(this))
{
    setObjectName(QStringLiteral("logPage"));
    m_filter->setSourceModel(model);

    m_level = new QComboBox(this);
    m_level->setObjectName(QStringLiteral("levelCombo"));
    m_level->setAccessibleName(tr("Log level"));
    m_level->addItem(tr("All levels"), QVariant::fromValue(LogModel::Level::Debug));
    m_level->addItem(tr("Info and above"), QVariant::fromValue(LogModel::Level::Info));
    m_level->addItem(tr("Warnings and errors"), QVariant::fromValue(LogModel::Level::Warning));
    m_level->addItem(tr("Errors only"), QVariant::fromValue(LogModel::Level::Error));
    m_level->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    m_category = new QComboBox(this);
    m_category->setObjectName(QStringLiteral("categoryCombo"));
    m_category->setAccessibleName(tr("Log category"));
    m_category->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    updateCategories(model->categories());

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("logSearchEdit"));
    m_search->setAccessibleName(tr("Search the log"));
    m_search->setPlaceholderText(tr("Search the log"));
    m_search->setClearButtonEnabled(true);

    m_pause = new QPushButton(tr("Pause"), this);
    m_pause->setObjectName(QStringLiteral("pauseButton"));
    m_pause->setAccessibleName(tr("Pause the log"));
    m_pause->setCheckable(true);

    m_follow = new QCheckBox(tr("Follow"), this);
    m_follow->setObjectName(QStringLiteral("followCheckBox"));
    m_follow->setAccessibleName(tr("Follow new lines"));
    m_follow->setChecked(true);

    m_copy = new QPushButton(tr("Copy"), this);
    m_copy->setObjectName(QStringLiteral("copyButton"));
    m_copy->setAccessibleName(tr("Copy the selected lines"));
    m_save = new QPushButton(tr("Save as…"), this);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setAccessibleName(tr("Save the shown lines as a file"));

    m_view = new QListView(this);
    m_view->setObjectName(QStringLiteral("logView"));
    m_view->setAccessibleName(tr("Log"));
    m_view->setModel(m_filter);
    m_view->setUniformItemSizes(true); // 100,000 rows: no per-row size queries
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto *copyAction = new QAction(tr("Copy"), m_view);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetShortcut);
    connect(copyAction, &QAction::triggered, this, &LogPage::copySelection);
    m_view->addAction(copyAction);
    auto *selectAll = new QAction(tr("Select all"), m_view);
    selectAll->setShortcut(QKeySequence::SelectAll);
    selectAll->setShortcutContext(Qt::WidgetShortcut);
    connect(selectAll, &QAction::triggered, m_view, &QListView::selectAll);
    m_view->addAction(selectAll);

    m_hint = new QLabel(this);
    m_hint->setObjectName(QStringLiteral("logHintLabel"));
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setWordWrap(true);
    m_hint->setForegroundRole(QPalette::PlaceholderText);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_level);
    bar->addWidget(m_category);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_pause);
    bar->addWidget(m_follow);
    bar->addWidget(m_copy);
    bar->addWidget(m_save);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addLayout(bar);
    layout->addWidget(m_hint);
    layout->addWidget(m_view, 1);

    connect(m_level, &QComboBox::currentIndexChanged, this, &LogPage::updateLevelFilter);
    connect(m_category, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setCategory(m_category->currentData().toString());
        updateHint();
    });
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setText(text.trimmed());
        updateHint();
    });
    connect(m_pause, &QPushButton::toggled, this, &LogPage::setPaused);
    connect(m_follow, &QCheckBox::toggled, this, &LogPage::setFollow);
    connect(m_copy, &QPushButton::clicked, this, &LogPage::copySelection);
    connect(m_save, &QPushButton::clicked, this, &LogPage::saveAs);
    connect(m_model, &LogModel::categoriesChanged, this, &LogPage::updateCategories);
    connect(m_model, &LogModel::pendingCountChanged, this, &LogPage::updatePauseText);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_follow->isChecked())
            m_view->scrollToBottom();
        updateHint();
    });
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &LogPage::updateHint);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &LogPage::updateHint);
    // Scrolling up to read stops following; scrolling back to the end follows again.
    connect(m_view->verticalScrollBar(), &QScrollBar::actionTriggered, this, [this] {
        QScrollBar *bar = m_view->verticalScrollBar();
        QMetaObject::invokeMethod(
            this, [this, bar] { m_follow->setChecked(bar->value() >= bar->maximum()); },
            Qt::QueuedConnection);
    });
    updateHint();
}

LogPage::~LogPage() = default;

void LogPage::updateLevelFilter()
{
    m_filter->setMinimumLevel(m_level->currentData().value<LogModel::Level>());
    updateHint();
}

void LogPage::updateCategories(const QStringList &categories)
{
    const QString current = m_category->currentData().toString();
    const QSignalBlocker block(m_category);
    m_category->clear();
    m_category->addItem(tr("All categories"), QString());
    for (const QString &c : categories)
        m_category->addItem(c, c);
    const int index = m_category->findData(current);
    m_category->setCurrentIndex(std::max(0, index));
}

void LogPage::updateHint()
{
    QString hint;
    if (m_model->rowCount() == 0)
        hint = m_model->isPaused() ? tr("The log is paused. Press Resume to see new lines.")
                                   : tr("No log lines yet. Lines appear here as the bot works.");
    else if (m_filter->rowCount() == 0)
        hint = tr("No log lines match the filters. Clear the search or choose another level or "
                  "category.");
    m_hint->setText(hint);
    m_hint->setVisible(!hint.isEmpty());
}

void LogPage::updatePauseText(int pending)
{
    if (!m_model->isPaused()) {
        m_pause->setText(tr("Pause"));
        return;
    }
    m_pause->setText(pending > 0 ? tr("Resume (%n new)", nullptr, pending) : tr("Resume"));
}

void LogPage::setPaused(bool paused)
{
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused); // comes back here through toggled
    m_model->setPaused(paused);
    updatePauseText(m_model->pendingCount());
    updateHint();
}

void LogPage::setFollow(bool follow)
{
    if (m_follow->isChecked() != follow)
        m_follow->setChecked(follow);
    if (follow)
        m_view->scrollToBottom();
}

void LogPage::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

QString LogPage::selectedText() const
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QStringList lines;
    lines.reserve(rows.size());
    for (const QModelIndex &index : std::as_const(rows))
        lines << index.data(LogModel::LineRole).toString();
    return lines.join(QLatin1Char('\n'));
}

void LogPage::copySelection()
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

bool LogPage::saveTo(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    const int rows = m_filter->rowCount();
    for (int row = 0; row < rows; ++row) {
        file.write(m_filter->index(row, 0).data(LogModel::LineRole).toString().toUtf8());
        file.write("\n");
    }
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

void LogPage::saveAs()
{
    const QString start = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) +
                          QStringLiteral("/tsp-assistant.log");
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save the log"), start, tr("Log files (*.log *.txt)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveTo(path, &error))
        QMessageBox::warning(this, tr("Save the log"), tr("Could not save %1: %2").arg(path, error));
}
