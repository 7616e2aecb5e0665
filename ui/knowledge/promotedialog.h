#pragma once

#include <QDialog>

#include "desk/desktypes.h"
#include "knowledge/knowledgeentry.h"

class KnowledgeEntryForm;
class OperatorDesk;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QPushButton;

// "Promote to knowledge": an operator's sent reply (or an edited draft that was sent) becomes a
// new knowledge entry, or a new version of an entry the bot cited. The form is prefilled from
// the conversation and its analysis (OperatorDesk::promotionDraft); Save goes through
// OperatorDesk::promoteToKnowledge, which keeps the link to the turn (the entry's origin).
class PromoteDialog final : public QDialog
{
    Q_OBJECT
public:
    // `cited`: the entries the bot cited for this reply (the reply's own, or those of the bot
    // turn or draft it replaced); each can be updated instead of adding a new entry.
    PromoteDialog(OperatorDesk *desk, qint64 turnId, const QList<CitedEntry> &cited,
                  QWidget *parent = nullptr);
    ~PromoteDialog() override;
    Q_DISABLE_COPY_MOVE(PromoteDialog)

    KnowledgeEntryForm *form() const { return m_form; }
    QComboBox *targetCombo() const { return m_target; }
    // '' = a new entry; otherwise the id of the cited entry this becomes a new version of.
    QString updateEntryId() const;
    // Selects a new entry ('') or the update of a cited entry; false when `entryId` is not offered.
    bool setUpdateEntryId(const QString &entryId);
    // Saves through the desk; false (and the message in the form) when it was refused.
    bool save();

signals:
    void promoted(const QString &entryId);

private:
    void prefillForTarget();

    OperatorDesk *m_desk = nullptr;
    qint64 m_turnId = 0;
    KnowledgeEntry m_draft; // the new entry as the desk prefills it
    QComboBox *m_target = nullptr;
    QLabel *m_origin = nullptr;
    KnowledgeEntryForm *m_form = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_save = nullptr;
};
