#include "settings/settingspage.h"

#include <algorithm>

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>

#include "config/autostart.h"
#include "config/savedsettings.h"
#include "config/secretstore.h"
#include "config/settingstable.h"

struct SettingsPage::Row
{
    const SettingSpec *spec = nullptr;
    QLineEdit *edit = nullptr;
    QComboBox *combo = nullptr;
    QCheckBox *check = nullptr;
    QLabel *problem = nullptr;
    QLabel *source = nullptr;
    QString initial; // the text the field started with (after setEffective / Apply)
    bool secretStored = false;

    QString text() const
    {
        if (check)
            return check->isChecked() ? QStringLiteral("true") : QStringLiteral("false");
        if (combo)
            return combo->currentData().toString();
        return edit->text().trimmed();
    }
    QWidget *editor() const
    {
        if (check)
            return check;
        if (combo)
            return combo;
        return edit;
    }
};

namespace {

QString groupTitle(SettingSpec::Group g)
{
    switch (g) {
    case SettingSpec::Group::Feishu:
        return SettingsPage::tr("Feishu");
    case SettingSpec::Group::Assistant:
        return SettingsPage::tr("Assistant");
    case SettingSpec::Group::Sessions:
        return SettingsPage::tr("Sessions");
    case SettingSpec::Group::Interface:
        return SettingsPage::tr("Interface");
    case SettingSpec::Group::Logging:
        return SettingsPage::tr("Logging");
    }
    return {};
}

QLabel *smallLabel()
{
    auto *l = new QLabel;
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont f = l->font();
    f.setPointSizeF(f.pointSizeF() * 0.9);
    l->setFont(f);
    return l;
}

} // namespace

SettingsPage::SettingsPage(SavedSettings *settings, SecretStore *secrets, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_secrets(secrets)
{
    setObjectName(QStringLiteral("settingsPage"));
    auto *layout = new QVBoxLayout(this);
    m_securityBanner = new QLabel;
    m_securityBanner->setObjectName(QStringLiteral("securityBannerLabel"));
    m_securityBanner->setWordWrap(true);
    m_securityBanner->setStyleSheet(QStringLiteral("background: #fff4e5; color: #7a4100; padding: 6px;"));
    layout->addWidget(m_securityBanner);
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("settingsTabs"));
    m_tabs->setAccessibleName(tr("Settings groups"));
    layout->addWidget(m_tabs, 1);

    QHash<SettingSpec::Group, QWidget *> tabs;
    for (SettingSpec::Group g : SettingsTable::groups()) {
        auto *scroll = new QScrollArea;
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        auto *inner = new QWidget;
        auto *form = new QFormLayout(inner);
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        form->setRowWrapPolicy(QFormLayout::DontWrapRows);
        scroll->setWidget(inner);
        m_tabs->addTab(scroll, groupTitle(g));
        tabs.insert(g, inner);
    }
    for (const SettingSpec &spec : SettingsTable::all())
        buildRow(spec, tabs.value(spec.group));

    // Start at login is the desktop's state (the XDG autostart entry), not a configuration key.
    m_startAtLogin = new QCheckBox(tr("Start at login"));
    m_startAtLogin->setObjectName(QStringLiteral("startAtLoginCheck"));
    m_startAtLogin->setAccessibleName(tr("Start at login"));
    m_startAtLogin->setChecked(Autostart::isEnabled());
    auto *autostartHelp = smallLabel();
    autostartHelp->setText(tr("Adds the console to the programs your desktop starts when you log in (%1).")
                               .arg(Autostart::entryPath()));
    auto *box = new QWidget;
    auto *boxLayout = new QVBoxLayout(box);
    boxLayout->setContentsMargins(0, 0, 0, 0);
    boxLayout->addWidget(m_startAtLogin);
    boxLayout->addWidget(autostartHelp);
    static_cast<QFormLayout *>(tabs.value(SettingSpec::Group::Interface)->layout())
        ->addRow(tr("Login:"), box);

    auto *buttons = new QHBoxLayout;
    auto *exportButton = new QPushButton(tr("Export…"));
    exportButton->setObjectName(QStringLiteral("exportButton"));
    exportButton->setAccessibleName(tr("Export settings"));
    auto *importButton = new QPushButton(tr("Import…"));
    importButton->setObjectName(QStringLiteral("importButton"));
    importButton->setAccessibleName(tr("Import settings"));
    auto *wizardButton = new QPushButton(tr("Setup wizard…"));
    wizardButton->setObjectName(QStringLiteral("wizardButton"));
    wizardButton->setAccessibleName(tr("Open the setup wizard"));
    m_apply = new QPushButton(tr("Apply"));
    m_apply->setObjectName(QStringLiteral("applyButton"));
    m_apply->setAccessibleName(tr("Apply"));
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);
    buttons->addWidget(exportButton);
    buttons->addWidget(importButton);
    buttons->addWidget(wizardButton);
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_apply);
    layout->addLayout(buttons);

    connect(exportButton, &QPushButton::clicked, this, &SettingsPage::exportClicked);
    connect(importButton, &QPushButton::clicked, this, &SettingsPage::importClicked);
    connect(wizardButton, &QPushButton::clicked, this, &SettingsPage::wizardRequested);
    connect(m_apply, &QPushButton::clicked, this, &SettingsPage::apply);
    connect(m_secrets, &SecretStore::secretRead, this, &SettingsPage::onSecretRead);
    connect(m_secrets, &SecretStore::storageChanged, this, &SettingsPage::updateSecurityBanner);
    updateSecurityBanner();
    setEffective(m_settings->values(), {}, {});
    for (const Row *row : std::as_const(m_rows)) {
        if (row->spec->secret)
            m_secrets->read(row->spec->name());
    }
}

SettingsPage::~SettingsPage()
{
    qDeleteAll(m_rows);
}

void SettingsPage::buildRow(const SettingSpec &spec, QWidget *tab)
{
    auto *row = new Row;
    row->spec = &spec;
    const QString key = spec.name();
    QWidget *field = nullptr;
    if (spec.type == SettingSpec::Type::Boolean) {
        row->check = new QCheckBox;
        field = row->check;
        connect(row->check, &QCheckBox::toggled, this, [this, row] { validate(*row); });
    } else if (spec.type == SettingSpec::Type::Choice) {
        row->combo = new QComboBox;
        row->combo->addItem(tr("(default: %1)").arg(SettingsTable::defaultText(spec)), QString());
        for (const QString &c : spec.choiceList())
            row->combo->addItem(c, c);
        field = row->combo;
        connect(row->combo, &QComboBox::currentIndexChanged, this, [this, row] { validate(*row); });
    } else {
        row->edit = new QLineEdit;
        if (spec.secret)
            row->edit->setEchoMode(QLineEdit::Password);
        field = row->edit;
        connect(row->edit, &QLineEdit::textChanged, this, [this, row] { validate(*row); });
        if (spec.type == SettingSpec::Type::Path) {
            auto *wrap = new QWidget;
            auto *h = new QHBoxLayout(wrap);
            h->setContentsMargins(0, 0, 0, 0);
            h->addWidget(row->edit, 1);
            auto *browse = new QPushButton(tr("Browse…"));
            browse->setAccessibleName(tr("Browse for %1").arg(key));
            connect(browse, &QPushButton::clicked, this, [this, row] {
                const QString path = QFileDialog::getOpenFileName(this, row->spec->name());
                if (!path.isEmpty())
                    row->edit->setText(path);
            });
            h->addWidget(browse);
            field = wrap;
        }
    }
    row->editor()->setObjectName(key);
    row->editor()->setAccessibleName(key);
    const QString help = QCoreApplication::translate("Settings", spec.help);
    row->editor()->setAccessibleDescription(help);
    row->editor()->setToolTip(help);

    auto *column = new QWidget;
    auto *v = new QVBoxLayout(column);
    v->setContentsMargins(0, 0, 0, 6);
    v->setSpacing(2);
    v->addWidget(field);
    auto *helpLabel = smallLabel();
    helpLabel->setText(help);
    v->addWidget(helpLabel);
    row->source = smallLabel();
    row->source->setObjectName(key + QLatin1String("_source"));
    row->source->setStyleSheet(QStringLiteral("color: #5f6368;"));
    v->addWidget(row->source);
    row->problem = smallLabel();
    row->problem->setObjectName(key + QLatin1String("_problem"));
    row->problem->setStyleSheet(QStringLiteral("color: #b3261e;"));
    row->problem->hide();
    v->addWidget(row->problem);
    auto *label = new QLabel(key);
    label->setBuddy(row->editor());
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    static_cast<QFormLayout *>(tab->layout())->addRow(label, column);
    m_rows.append(row);
}

SettingsPage::Row *SettingsPage::rowOf(const QString &key)
{
    for (Row *r : std::as_const(m_rows)) {
        if (r->spec->name() == key)
            return r;
    }
    return nullptr;
}

const SettingsPage::Row *SettingsPage::rowOf(const QString &key) const
{
    return const_cast<SettingsPage *>(this)->rowOf(key);
}

QString SettingsPage::sourceName(AppConfig::Source source)
{
    switch (source) {
    case AppConfig::Source::CommandLine:
        return tr("command line");
    case AppConfig::Source::Environment:
        return tr("environment");
    case AppConfig::Source::EnvFile:
        return tr(".env");
    case AppConfig::Source::Saved:
        return tr("saved");
    case AppConfig::Source::Default:
        return tr("default");
    }
    return {};
}

void SettingsPage::setEffective(const QHash<QString, QString> &values,
                                const QHash<QString, AppConfig::Source> &sources, const QString &dataDir)
{
    m_effective = values;
    m_sources = sources;
    m_dataDir = dataDir;
    for (Row *row : std::as_const(m_rows)) {
        const QString key = row->spec->name();
        if (row->spec->secret) {
            row->edit->clear();
        } else {
            const QString value = values.value(key);
            if (row->check) {
                bool b = false;
                SettingsTable::parseBool(
                    value.isEmpty() ? QString::fromLatin1(row->spec->defaultValue) : value, &b);
                row->check->setChecked(b);
            } else if (row->combo) {
                const int i = row->combo->findData(value, Qt::UserRole, Qt::MatchFixedString);
                row->combo->setCurrentIndex(i < 0 ? 0 : i);
            } else {
                row->edit->setText(value);
                row->edit->setPlaceholderText(SettingsTable::defaultText(*row->spec, dataDir));
            }
        }
        row->initial = row->text();
        validate(*row);
    }
}

void SettingsPage::validate(Row &row)
{
    const QString text = row.text();
    QString problem;
    if (!text.isEmpty()) {
        QString normalized;
        if (!SettingsTable::check(*row.spec, text, &normalized, &problem) && problem.isEmpty())
            problem = tr("Not valid here.");
    }
    row.problem->setText(problem);
    row.problem->setVisible(!problem.isEmpty());
    row.editor()->setAccessibleDescription(
        problem.isEmpty() ? QCoreApplication::translate("Settings", row.spec->help) : problem);
    updateSourceLine(row);
}

void SettingsPage::updateSourceLine(Row &row)
{
    const QString key = row.spec->name();
    const AppConfig::Source source = m_sources.value(
        key, m_settings->contains(key) ? AppConfig::Source::Saved : AppConfig::Source::Default);
    QString def = SettingsTable::defaultText(*row.spec, m_dataDir);
    if (def.isEmpty())
        def = tr("(empty)");
    if (row.spec->secret)
        def = tr("(none)");
    QString line = tr("Default: %1 · From: %2").arg(def, sourceName(source));
    if (source == AppConfig::Source::CommandLine || source == AppConfig::Source::Environment ||
        source == AppConfig::Source::EnvFile)
        line += QLatin1Char(' ') + tr("(a value saved here applies only once that is removed)");
    if (row.spec->secret)
        line += QLatin1Char(' ') +
                (row.secretStored ? tr("· A value is stored; type to replace it.") : tr("· Nothing stored."));
    if (row.text() != row.initial)
        line += QLatin1Char(' ') + tr("· Changed, not applied yet.");
    row.source->setText(line);
}

void SettingsPage::onSecretRead(const QString &key, const QString &value)
{
    Row *row = rowOf(key);
    if (!row)
        return;
    row->secretStored = !value.isEmpty();
    row->edit->setPlaceholderText(row->secretStored ? QString(8, QChar(0x2022)) : QString());
    updateSourceLine(*row);
}

void SettingsPage::updateSecurityBanner()
{
    QString text;
    if (m_secrets->isLessSecure())
        text =
            tr("Less secure: the secrets are kept in a file only you can read (%1), because no keychain was "
               "available.")
                .arg(m_secrets->fallbackFilePath());
    else if (m_secrets->asksAtStart())
        text = tr("The secrets are not stored: you are asked for them at every start.");
    m_securityBanner->setText(text);
    m_securityBanner->setVisible(!text.isEmpty());
}

QString SettingsPage::text(const QString &key) const
{
    const Row *r = rowOf(key);
    return r ? r->text() : QString();
}

void SettingsPage::setText(const QString &key, const QString &text)
{
    Row *r = rowOf(key);
    if (!r)
        return;
    if (r->check) {
        bool b = false;
        SettingsTable::parseBool(text, &b);
        r->check->setChecked(b);
    } else if (r->combo) {
        const int i = r->combo->findData(text, Qt::UserRole, Qt::MatchFixedString);
        r->combo->setCurrentIndex(i < 0 ? 0 : i);
    } else {
        r->edit->setText(text);
    }
}

QString SettingsPage::problem(const QString &key) const
{
    const Row *r = rowOf(key);
    return r ? r->problem->text() : QString();
}

QString SettingsPage::sourceText(const QString &key) const
{
    const Row *r = rowOf(key);
    return r ? r->source->text() : QString();
}

bool SettingsPage::isModified() const
{
    return std::any_of(m_rows.cbegin(), m_rows.cend(),
                       [](const Row *r) { return r->text() != r->initial; }) ||
           m_startAtLogin->isChecked() != Autostart::isEnabled();
}

bool SettingsPage::apply()
{
    for (Row *row : std::as_const(m_rows)) {
        validate(*row);
        if (!row->problem->text().isEmpty()) {
            m_tabs->setCurrentIndex(int(SettingsTable::groups().indexOf(row->spec->group)));
            row->editor()->setFocus();
            m_status->setText(tr("Not applied: %1").arg(row->problem->text()));
            return false;
        }
    }
    QHash<QString, QString> changed;
    QHash<QString, QString> plain;
    for (Row *row : std::as_const(m_rows)) {
        const QString text = row->text();
        if (text == row->initial)
            continue;
        QString normalized = text;
        QString error;
        if (!text.isEmpty())
            SettingsTable::check(*row->spec, text, &normalized, &error);
        const QString key = row->spec->name();
        changed.insert(key, normalized);
        if (row->spec->secret) {
            if (!normalized.isEmpty()) {
                m_secrets->write(key, normalized);
                row->secretStored = true;
            }
            row->edit->clear();
        } else {
            plain.insert(key, normalized);
        }
    }
    if (!plain.isEmpty() && !m_settings->setValues(plain)) {
        m_status->setText(tr("Cannot save the settings to %1.").arg(m_settings->filePath()));
        return false;
    }
    if (m_startAtLogin->isChecked() != Autostart::isEnabled()) {
        QString error;
        if (!Autostart::setEnabled(m_startAtLogin->isChecked(), QCoreApplication::applicationFilePath(), {},
                                   &error)) {
            m_status->setText(error);
            return false;
        }
    }
    for (Row *row : std::as_const(m_rows)) {
        if (plain.contains(row->spec->name()) && !m_sources.contains(row->spec->name()))
            m_sources.insert(row->spec->name(), AppConfig::Source::Saved);
        if (plain.contains(row->spec->name()) &&
            m_sources.value(row->spec->name()) == AppConfig::Source::Default)
            m_sources.insert(row->spec->name(), AppConfig::Source::Saved);
        row->initial = row->text();
        updateSourceLine(*row);
    }
    m_status->setText(changed.isEmpty() ? tr("Nothing to apply.")
                                        : tr("Applied %n change(s).", nullptr, int(changed.size())));
    if (!changed.isEmpty())
        emit applied(changed);
    return true;
}

bool SettingsPage::exportSettings(const QString &path, QString *error)
{
    return m_settings->exportTo(path, error);
}

bool SettingsPage::importSettings(const QString &path, QString *error)
{
    QStringList skipped;
    const QHash<QString, QString> values = SavedSettings::readImport(path, &skipped, error);
    if (!error->isEmpty())
        return false;
    int used = 0;
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        if (rowOf(it.key())) {
            setText(it.key(), it.value());
            ++used;
        }
    }
    m_status->setText(
        tr("Imported %n value(s); review them and press Apply.", nullptr, used) +
        (skipped.isEmpty() ? QString() : QLatin1Char(' ') + tr("Secrets in the file were ignored.")));
    return true;
}

void SettingsPage::exportClicked()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export settings"),
                                                      QStringLiteral("tsp-assistant-settings.env"));
    if (path.isEmpty())
        return;
    QString error;
    m_status->setText(exportSettings(path, &error) ? tr("Exported to %1 (without secrets).").arg(path)
                                                   : error);
}

void SettingsPage::importClicked()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import settings"));
    if (path.isEmpty())
        return;
    QString error;
    if (!importSettings(path, &error))
        m_status->setText(error);
}
