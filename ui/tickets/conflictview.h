#pragma once

#include <QHash>
#include <QStringList>
#include <QWidget>

#include "tickets/ticket.h"

class QButtonGroup;
class QGridLayout;
class QLabel;
class QLineEdit;
class TicketDesk;

// A ticket in conflict, side by side: per field that differs, this console's value and
// Bitable's, a pick for each and the result (editable: a merge). Fields changed on both sides
// start on the local value, fields only Bitable changed on Bitable's. Apply ends the conflict
// through TicketDesk::resolveConflict: all local -> KeepLocal, all Bitable -> TakeRemote,
// otherwise Merge with the results.
class ConflictView final : public QWidget
{
    Q_OBJECT
public:
    enum class Side { Local, Remote };

    explicit ConflictView(TicketDesk *desk, QWidget *parent = nullptr);
    ~ConflictView() override;
    Q_DISABLE_COPY_MOVE(ConflictView)

    // False when the ticket is not in conflict (nothing to show).
    bool setTicket(qint64 ticketId);
    qint64 ticketId() const { return m_ticketId; }
    QStringList fields() const { return m_keys; } // the keys shown, in field order
    void pick(const QString &key, Side side);
    void pickAll(Side side);
    void setResult(const QString &key, const QString &value);
    QString result(const QString &key) const; // the stored value the field will take
    QString errorText() const;

public slots:
    bool apply();

signals:
    void resolved(qint64 ticketId);
    void cancelled();

private:
    struct Row
    {
        QString local;
        QString remote;
        QLineEdit *result = nullptr;
        QButtonGroup *group = nullptr;
    };
    void clearRows();
    QString shown(const QString &key, const QString &raw) const;

    TicketDesk *m_desk = nullptr;
    qint64 m_ticketId = 0;
    TicketConflict m_conflict;
    QStringList m_keys;
    QHash<QString, Row> m_rows;
    QLabel *m_heading = nullptr;
    QLabel *m_error = nullptr;
    QWidget *m_grid = nullptr;
    QGridLayout *m_gridLayout = nullptr;
};
