#pragma once

#include <optional>

#include <QJsonObject>
#include <QMetaType>
#include <QObject>
#include <QString>

// One change of what operators see. Small and self-describing: the receiver re-reads what it
// needs, so a change can cross a process boundary as it is (PostgreSQL NOTIFY carries
// toJson(); its 8,000-byte payload limit is far above what a change needs).
struct Change
{
    enum class Kind {
        SessionAdded,
        SessionChanged,
        TurnAdded,
        DraftCreated,
        DraftDecided,    // detail: the new state (approved, edited, rejected)
        DeliveryChanged, // outboxId: the row whose state moved
        AnalysisUpdated,
        AnswerProgress, // detail: the answer's whole text so far (not persisted)
        Attention,      // detail: why a person is needed
        DefaultModeChanged,
        PausedChanged,
    };
    Kind kind = Kind::SessionChanged;
    qint64 sessionId = 0;
    qint64 turnId = 0;
    qint64 draftId = 0;
    qint64 outboxId = 0;
    QString detail;

    QJsonObject toJson() const;
    static std::optional<Change> fromJson(const QJsonObject &json);
    static QString kindName(Kind kind);
    bool operator==(const Change &) const = default;
};
Q_DECLARE_METATYPE(Change)

// The one stream of changes the operator API is fed from. Today the local bot's stores publish
// into it (see LocalChangeSource); in team mode a PostgreSQL LISTEN/NOTIFY source publishes the
// changes other machines made into the same feed. Main thread only.
class ChangeFeed final : public QObject
{
    Q_OBJECT
public:
    explicit ChangeFeed(QObject *parent = nullptr);
    ~ChangeFeed() override;
    Q_DISABLE_COPY_MOVE(ChangeFeed)

    void publish(const Change &change);
    quint64 published() const { return m_published; }

signals:
    void changed(const Change &change);

private:
    quint64 m_published = 0;
};
