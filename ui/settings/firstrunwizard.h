#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QString>
#include <QStringList>
#include <QWizard>

#include "feishu/feishucheck.h"

class LlmClient;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class SecretStore;
class SavedSettings;

// The first-run wizard (issue #12): the Feishu app (App ID, App Secret, domain) with an optional
// import of the Python system's .env, a test of the Feishu side, the checklist of what the app
// needs on the Feishu side, the LLM (or none) with a test, and a summary. Finish saves the
// non-secret values to SavedSettings and the secrets to SecretStore, then emits setupFinished()
// with every value, so the application can start the bot.
//
// If the keychain cannot be used, the summary page says so and offers the two explicit choices
// (a 0600 file, or ask at every start); nothing is written in plaintext before that choice.
//
// Hook-up (one line): connect(&wizard, &FirstRunWizard::setupFinished, app, &App::startBot).
class FirstRunWizard final : public QWizard
{
    Q_OBJECT
public:
    enum PageId { ImportPage, FeishuPage, ChecklistPage, LlmPage, SummaryPage };

    FirstRunWizard(SavedSettings *settings, SecretStore *secrets, QWidget *parent = nullptr);
    ~FirstRunWizard() override;
    Q_DISABLE_COPY_MOVE(FirstRunWizard)

    // Reads a .env (the file dialog of the import page ends here). False with the reason shown.
    bool importEnvFile(const QString &path);
    // Every value the wizard would save, secrets included (for setupFinished()).
    QHash<QString, QString> values() const;
    // The summary as shown on the last page (secrets masked).
    QString summaryText() const;

    // Masks a secret for display: the first 3 characters, then dots ("sk-••••••").
    static QString maskSecret(const QString &secret);

    bool validateCurrentPage() override;
    void accept() override;

signals:
    // The setup is saved (settings written, secrets stored where the user chose).
    void setupFinished(const QHash<QString, QString> &values);
    // A .env was imported: the keys found.
    void envImported(const QStringList &keys);
    // A test ended: ok and the words shown.
    void feishuTestFinished(bool ok, const QString &text);
    void llmTestFinished(bool ok, const QString &text);

private:
    QWizardPage *createImportPage();
    QWizardPage *createFeishuPage();
    QWizardPage *createChecklistPage();
    QWizardPage *createLlmPage();
    QWizardPage *createSummaryPage();

    void browseEnvFile();
    void onDomainChoiceChanged();
    void onProviderChanged();
    void testFeishu();
    void onFeishuChecked(const FeishuCheck::Result &result);
    void testLlm();
    QString feishuResultText(const FeishuCheck::Result &result) const;
    QUrl domainUrl(QString *error = nullptr) const;
    QString providerKey() const;
    void updateSummary();
    void saveSecretsThenFinish();
    void onSecretWritten(const QString &key);
    void onSecretFailed(const QString &key, const QString &message);
    void onKeychainUnavailable(const QString &reason);
    void finishIfDone();

    SavedSettings *m_settings = nullptr;
    SecretStore *m_secrets = nullptr;
    FeishuCheck *m_feishuCheck = nullptr;
    LlmClient *m_llm = nullptr;
    QElapsedTimer m_llmTimer;

    // Import page
    QLineEdit *m_envPath = nullptr;
    QTableWidget *m_envTable = nullptr;
    QLabel *m_envStatus = nullptr;
    QHash<QString, QString> m_imported; // every key of the imported .env

    // Feishu page
    QLineEdit *m_appId = nullptr;
    QLineEdit *m_appSecret = nullptr;
    QComboBox *m_domain = nullptr;
    QLineEdit *m_customDomain = nullptr;
    QPushButton *m_feishuTest = nullptr;
    QLabel *m_feishuResult = nullptr;
    QLabel *m_feishuProblem = nullptr;
    QString m_feishuVerdict; // for the summary: "" = not tested

    // LLM page
    QComboBox *m_provider = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QLineEdit *m_model = nullptr;
    QLineEdit *m_apiKey = nullptr;
    QPushButton *m_llmTest = nullptr;
    QLabel *m_llmResult = nullptr;
    QLabel *m_llmProblem = nullptr;
    QString m_llmVerdict;

    // Summary page
    QLabel *m_summary = nullptr;
    QGroupBox *m_storageChoice = nullptr;
    QLabel *m_storageReason = nullptr;
    QLabel *m_saveStatus = nullptr;

    QStringList m_secretsPending; // written on Finish, not yet confirmed
    QHash<QString, QString> m_finishValues;
    bool m_finishing = false;
};
