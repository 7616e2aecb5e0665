#pragma once

#include <QHash>
#include <QWidget>

#include "desk/knowledgedesk.h"
#include "knowledge/knowledgeentry.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

// The fields of one knowledge entry: Title, Category, Vehicle models, Symptoms, Cause, Solution
// and Tags, each with a place for its validation message. Reusable: the knowledge page edits
// entries with it, and the Conversations page opens it prefilled to promote a reply.
// Lists are typed one item per line (symptoms) or separated by commas (vehicle models, tags).
class KnowledgeEntryForm final : public QWidget
{
    Q_OBJECT
public:
    explicit KnowledgeEntryForm(QWidget *parent = nullptr);
    ~KnowledgeEntryForm() override;
    Q_DISABLE_COPY_MOVE(KnowledgeEntryForm)

    // Shows `entry` (isNew: it is not in the knowledge base yet). Clears the messages.
    void prefill(const KnowledgeEntry &entry, bool isNew = true);
    // The entry as the fields say now (id, source and updated_at as prefilled).
    KnowledgeEntry entry() const;
    bool isNew() const { return m_isNew; }
    bool isModified() const { return entry() != m_original; }

    void setCategories(const QStringList &categories);
    // Shows each message under its field ('' field: the general message at the top).
    void setErrors(const QList<KnowledgeFieldError> &errors);
    void clearErrors();
    QString errorText(const QString &field) const; // what is shown for a field, for tests

    static QStringList splitList(const QString &text); // commas (also ， 、 ;) and line breaks

signals:
    // Any field was edited by the user (not by prefill()).
    void edited();

private:
    QLabel *addError(const QString &field);

    QLabel *m_heading = nullptr;
    QLabel *m_general = nullptr;
    QLineEdit *m_title = nullptr;
    QComboBox *m_category = nullptr;
    QLineEdit *m_models = nullptr;
    QPlainTextEdit *m_symptoms = nullptr;
    QPlainTextEdit *m_cause = nullptr;
    QPlainTextEdit *m_solution = nullptr;
    QLineEdit *m_tags = nullptr;
    QHash<QString, QLabel *> m_errors;
    KnowledgeEntry m_original;
    bool m_isNew = true;
    bool m_filling = false;
};
