#pragma once

#include <QDialog>
#include <QTimer>

#include "desk/desktypes.h"
#include "knowledge/knowledgeentry.h"

class OperatorDesk;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;

// A knowledge entry, read-only (opened from a cited entry in the thread).
class KnowledgeEntryDialog final : public QDialog
{
    Q_OBJECT
public:
    KnowledgeEntryDialog(const KnowledgeEntry &entry, QWidget *parent = nullptr);
    ~KnowledgeEntryDialog() override;
    Q_DISABLE_COPY_MOVE(KnowledgeEntryDialog)

    // Opens the entry `id` of the desk (a message box when it was deleted since). Non-modal.
    static KnowledgeEntryDialog *open(OperatorDesk *desk, const QString &id, QWidget *parent);
};

// The composer's quick search (Ctrl+K): type, pick an entry, its solution goes into the reply.
class KnowledgeSearchDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit KnowledgeSearchDialog(OperatorDesk *desk, QWidget *parent = nullptr);
    ~KnowledgeSearchDialog() override;
    Q_DISABLE_COPY_MOVE(KnowledgeSearchDialog)

    void setQuery(const QString &text);
    QLineEdit *queryEdit() const { return m_query; }
    QListWidget *resultList() const { return m_results; }

signals:
    void solutionChosen(const QString &solution);

private:
    void search(); // asks the desk's worker; showHits() shows what it found
    void showHits(quint64 serial, const QList<CitedEntry> &hits);
    void showCurrent();
    void choose();

    OperatorDesk *m_desk = nullptr;
    QLineEdit *m_query = nullptr;
    QListWidget *m_results = nullptr;
    QPlainTextEdit *m_preview = nullptr;
    QTimer m_debounce;
    quint64 m_pending = 0;       // the search whose hits the list waits for
    bool m_chooseWhenIn = false; // Enter was pressed before they were in
};
