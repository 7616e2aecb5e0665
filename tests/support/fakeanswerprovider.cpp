#include "fakeanswerprovider.h"

#include <QTimer>

FakeAnswerProvider::FakeAnswerProvider(QObject *parent)
    : QObject(parent)
{}

Answer FakeAnswerProvider::defaultAnswer(const AnswerRequest &request)
{
    Answer a;
    a.text = QStringLiteral("答复：") + request.question;
    a.source = AnswerSource::Knowledge;
    a.refs = {KnowledgeRef{QStringLiteral("KB-0001"), 3.5}};
    return a;
}

void FakeAnswerProvider::answer(const AnswerRequest &request, Done done)
{
    m_requests.append(request);
    emit requested(int(m_requests.size()) - 1);
    switch (m_mode) {
    case Mode::Immediate:
        done(m_responder(request));
        break;
    case Mode::Deferred:
        QTimer::singleShot(0, this, [this, request, done] { done(m_responder(request)); });
        break;
    case Mode::Hold:
        m_held.enqueue(Held{request, std::move(done)});
        break;
    }
}

bool FakeAnswerProvider::releaseNext()
{
    if (m_held.isEmpty())
        return false;
    Held h = m_held.dequeue();
    h.done(m_responder(h.request));
    return true;
}

void FakeAnswerProvider::releaseAll()
{
    while (releaseNext()) {
    }
}
