#pragma once

#include <QWidget>

#include "desk/knowledgedesk.h"

class KnowledgeEntryForm;
class KnowledgeTableModel;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTableView;
class QTimer;
class QTreeWidget;

// The knowledge editor: the paged table with search and category filter, the entry form with
// validation and the similar entries (updated as the operator types), the version history with
// field diffs and Restore, the gaps (questions the bot handed off) and import/export with
// progress and Cancel. Everything goes through KnowledgeDesk.
class KnowledgePage final : public QWidget
{
    Q_OBJECT
public:
    explicit KnowledgePage(KnowledgeDesk *desk, QWidget *parent = nullptr);
    ~KnowledgePage() override;
    Q_DISABLE_COPY_MOVE(KnowledgePage)

    // Shows an entry in the form (and its history).
    void openEntry(const QString &id);
    // Starts a new entry, prefilled (promote from a conversation, a gap).
    void newEntry(const KnowledgeEntry &prefill = {});
    bool save();
    // Import/export without the file dialogs (the buttons ask for a file, then call these).
    bool importFile(const QString &path);
    bool exportFile(const QString &path);
    void refreshGaps();

    KnowledgeTableModel *model() const { return m_model; }
    KnowledgeEntryForm *form() const { return m_form; }
    // The similar-entries debounce (ms); tests set 0.
    void setSimilarDelay(int ms);

signals:
    void statusMessage(const QString &text);

private:
    void applyFilter();
    void updateSimilar(); // asks the desk's worker; showSimilar() shows what it found
    void showSimilar(quint64 serial, const QList<CitedEntry> &hits);
    void showHistory(const QString &id);
    void showVersion();
    void restoreVersion();
    void newFromGap();
    void onTransferProgress(qint64 done, qint64 total);
    void onTransferFinished(const KnowledgeTransferReport &report);
    void setTransferRunning(bool running, const QString &what);
    void setStatus(const QString &text, bool error = false);
    void refreshCategories();

    KnowledgeDesk *m_desk = nullptr;
    KnowledgeTableModel *m_model = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_categoryFilter = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_count = nullptr;
    QPushButton *m_new = nullptr;
    QPushButton *m_import = nullptr;
    QPushButton *m_export = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    QLabel *m_transferStatus = nullptr;
    QListWidget *m_transferErrors = nullptr;
    QTabWidget *m_tabs = nullptr;
    KnowledgeEntryForm *m_form = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_revert = nullptr;
    QLabel *m_status = nullptr;
    QListWidget *m_similar = nullptr;
    QTimer *m_similarTimer = nullptr;
    quint64 m_similarSerial = 0; // the similar search whose entries the list waits for
    QTimer *m_searchTimer = nullptr;
    QTreeWidget *m_versions = nullptr;
    QTreeWidget *m_diff = nullptr;
    QPushButton *m_restore = nullptr;
    QTreeWidget *m_gaps = nullptr;
    QPushButton *m_gapEntry = nullptr;
    QPushButton *m_gapRefresh = nullptr;
    QList<KnowledgeGap> m_gapList;
    QString m_historyId;
};
