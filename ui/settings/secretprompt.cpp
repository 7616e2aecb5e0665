#include "settings/secretprompt.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "config/secretstore.h"

SecretPrompt::SecretPrompt(SecretStore *secrets, QWidget *parent)
    : QDialog(parent)
    , m_secrets(secrets)
{
    setObjectName(QStringLiteral("secretPrompt"));
    setWindowTitle(tr("Secrets for this session"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("You chose not to store the secrets. Enter them for this session; they are "
                                "kept in memory only and asked for again at the next start."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *form = new QFormLayout;
    const QHash<QString, QString> labels = {{QStringLiteral("FEISHU_APP_SECRET"), tr("App Secret")},
                                            {QStringLiteral("LLM_API_KEY"), tr("API key")},
                                            {QStringLiteral("EMBEDDING_API_KEY"), tr("Embedding API key")}};
    for (const QString &key : SecretStore::secretKeys()) {
        auto *edit = new QLineEdit;
        edit->setObjectName(key);
        edit->setEchoMode(QLineEdit::Password);
        edit->setAccessibleName(labels.value(key));
        form->addRow(labels.value(key) + QLatin1Char(':'), edit);
        m_edits.insert(key, edit);
    }
    layout->addLayout(form);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Start"));
    buttons->button(QDialogButtonBox::Ok)->setAccessibleName(tr("Start"));
    buttons->button(QDialogButtonBox::Cancel)->setAccessibleName(tr("Cancel"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &SecretPrompt::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SecretPrompt::reject);
}

SecretPrompt::~SecretPrompt() = default;

void SecretPrompt::accept()
{
    QHash<QString, QString> provided;
    for (auto it = m_edits.cbegin(); it != m_edits.cend(); ++it) {
        const QString value = it.value()->text().trimmed();
        if (value.isEmpty())
            continue;
        provided.insert(it.key(), value);
        m_secrets->write(it.key(), value);
        it.value()->clear();
    }
    emit secretsProvided(provided);
    QDialog::accept();
}
