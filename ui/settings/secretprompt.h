#pragma once

#include <QDialog>
#include <QHash>
#include <QString>

class QLineEdit;
class SecretStore;

// Ask-at-start mode (SecretStore::asksAtStart()): at every start the console asks for the secrets
// here; they live in memory for this run only (SecretStore keeps them, nothing is written).
//
// Hook-up: if (secrets.asksAtStart()) { SecretPrompt p(&secrets); p.exec(); } before the bot starts.
class SecretPrompt final : public QDialog
{
    Q_OBJECT
public:
    explicit SecretPrompt(SecretStore *secrets, QWidget *parent = nullptr);
    ~SecretPrompt() override;
    Q_DISABLE_COPY_MOVE(SecretPrompt)

    void accept() override;

signals:
    // The secrets typed (empty ones left out), already handed to SecretStore.
    void secretsProvided(const QHash<QString, QString> &secrets);

private:
    SecretStore *m_secrets = nullptr;
    QHash<QString, QLineEdit *> m_edits;
};
