#pragma once

#include <functional>

#include <QList>
#include <QObject>
#include <QQueue>

#include "assistant/answerprovider.h"

// Stands in for the Assistant in unit tests. By default it answers "答复：<question>" from the
// knowledge base (source "knowledge", one ref); set a responder to script other answers.
class FakeAnswerProvider final : public QObject, public AnswerProvider
{
    Q_OBJECT
public:
    enum class Mode { Immediate, Deferred, Hold };
    using Responder = std::function<Answer(const AnswerRequest &)>;

    explicit FakeAnswerProvider(QObject *parent = nullptr);

    void setMode(Mode mode) { m_mode = mode; }
    void setResponder(Responder responder) { m_responder = std::move(responder); }
    static Answer defaultAnswer(const AnswerRequest &request);

    void answer(const AnswerRequest &request, Done done) override;

    const QList<AnswerRequest> &requests() const { return m_requests; }
    int heldCount() const { return int(m_held.size()); }
    bool releaseNext();
    void releaseAll();

signals:
    void requested(int index);

private:
    struct Held
    {
        AnswerRequest request;
        Done done;
    };

    Mode m_mode = Mode::Immediate;
    Responder m_responder = &FakeAnswerProvider::defaultAnswer;
    QList<AnswerRequest> m_requests;
    QQueue<Held> m_held;
};
