#include "knowledge/knowledgeentryform.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace {

QPlainTextEdit *textEdit(QWidget *parent, int lines)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setTabChangesFocus(true);
    const int line = edit->fontMetrics().lineSpacing();
    edit->setMinimumHeight(line * lines + 12);
    return edit;
}

} // namespace

KnowledgeEntryForm::KnowledgeEntryForm(QWidget *parent)
    : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_heading = new QLabel(this);
    m_heading->setObjectName(u"headingLabel"_s);
    QFont bold = m_heading->font();
    bold.setBold(true);
    m_heading->setFont(bold);
    outer->addWidget(m_heading);
    m_general = new QLabel(this);
    m_general->setObjectName(u"generalErrorLabel"_s);
    m_general->setWordWrap(true);
    m_general->setStyleSheet(u"color: #b00020;"_s);
    m_general->hide();
    outer->addWidget(m_general);
    m_errors.insert(QString(), m_general);
    m_errors.insert(u"id"_s, m_general);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    outer->addLayout(form, 1);

    const auto field = [this, form](const QString &label, QWidget *w, const QString &key) {
        auto *box = new QVBoxLayout;
        box->setSpacing(2);
        box->addWidget(w);
        box->addWidget(addError(key));
        form->addRow(label, box);
    };

    m_title = new QLineEdit(this);
    m_title->setObjectName(u"titleEdit"_s);
    m_title->setAccessibleName(tr("Title"));
    m_title->setPlaceholderText(tr("A short description of the problem"));
    field(tr("Title"), m_title, u"title"_s);

    m_category = new QComboBox(this);
    m_category->setObjectName(u"categoryCombo"_s);
    m_category->setEditable(true);
    m_category->setInsertPolicy(QComboBox::NoInsert);
    m_category->setAccessibleName(tr("Category"));
    field(tr("Category"), m_category, u"category"_s);

    m_models = new QLineEdit(this);
    m_models->setObjectName(u"vehicleModelsEdit"_s);
    m_models->setAccessibleName(tr("Vehicle models"));
    m_models->setPlaceholderText(tr("Separated by commas; empty = every model"));
    field(tr("Vehicle models"), m_models, u"vehicle_models"_s);

    m_symptoms = textEdit(this, 3);
    m_symptoms->setMaximumHeight(m_symptoms->fontMetrics().lineSpacing() * 6 + 12);
    m_symptoms->setObjectName(u"symptomsEdit"_s);
    m_symptoms->setAccessibleName(tr("Symptoms"));
    m_symptoms->setPlaceholderText(tr("One per line, in the customers' words"));
    field(tr("Symptoms"), m_symptoms, u"symptoms"_s);

    m_cause = textEdit(this, 2);
    m_cause->setMaximumHeight(m_cause->fontMetrics().lineSpacing() * 5 + 12);
    m_cause->setObjectName(u"causeEdit"_s);
    m_cause->setAccessibleName(tr("Cause"));
    field(tr("Cause"), m_cause, u"cause"_s);

    m_solution = textEdit(this, 4);
    m_solution->setObjectName(u"solutionEdit"_s);
    m_solution->setAccessibleName(tr("Solution"));
    m_solution->setPlaceholderText(tr("What the bot answers the customer"));
    field(tr("Solution"), m_solution, u"solution"_s);

    m_tags = new QLineEdit(this);
    m_tags->setObjectName(u"tagsEdit"_s);
    m_tags->setAccessibleName(tr("Tags"));
    m_tags->setPlaceholderText(tr("Separated by commas"));
    field(tr("Tags"), m_tags, u"tags"_s);

    const auto changed = [this] {
        if (!m_filling)
            emit edited();
    };
    connect(m_title, &QLineEdit::textEdited, this, changed);
    connect(m_category, &QComboBox::currentTextChanged, this, changed);
    connect(m_models, &QLineEdit::textEdited, this, changed);
    connect(m_symptoms, &QPlainTextEdit::textChanged, this, changed);
    connect(m_cause, &QPlainTextEdit::textChanged, this, changed);
    connect(m_solution, &QPlainTextEdit::textChanged, this, changed);
    connect(m_tags, &QLineEdit::textEdited, this, changed);

    prefill(KnowledgeEntry{}, true);
}

KnowledgeEntryForm::~KnowledgeEntryForm() = default;

QLabel *KnowledgeEntryForm::addError(const QString &field)
{
    auto *label = new QLabel(this);
    label->setObjectName(field + u"ErrorLabel"_s);
    label->setWordWrap(true);
    label->setStyleSheet(u"color: #b00020;"_s);
    label->hide();
    m_errors.insert(field, label);
    return label;
}

void KnowledgeEntryForm::prefill(const KnowledgeEntry &entry, bool isNew)
{
    m_filling = true;
    m_original = entry;
    m_isNew = isNew;
    m_heading->setText(isNew ? (entry.id.isEmpty() ? tr("New entry") : tr("New entry %1").arg(entry.id))
                             : tr("Entry %1").arg(entry.id));
    m_title->setText(entry.title);
    if (m_category->findText(entry.category) < 0 && !entry.category.isEmpty())
        m_category->addItem(entry.category);
    m_category->setCurrentText(entry.category);
    m_models->setText(entry.vehicleModels.join(u", "_s));
    m_symptoms->setPlainText(entry.symptoms.join(QLatin1Char('\n')));
    m_cause->setPlainText(entry.cause);
    m_solution->setPlainText(entry.solution);
    m_tags->setText(entry.tags.join(u", "_s));
    m_original = this->entry(); // as the fields normalise it, so isModified() starts false
    m_filling = false;
    clearErrors();
}

QStringList KnowledgeEntryForm::splitList(const QString &text)
{
    static const QRegularExpression separators(u"[,，、;；\\n]"_s);
    QStringList out;
    for (const QString &part : text.split(separators)) {
        const QString item = part.trimmed();
        if (!item.isEmpty() && !out.contains(item))
            out << item;
    }
    return out;
}

KnowledgeEntry KnowledgeEntryForm::entry() const
{
    KnowledgeEntry e = m_original;
    e.title = m_title->text().trimmed();
    e.category = m_category->currentText().trimmed();
    e.vehicleModels = splitList(m_models->text());
    QStringList symptoms;
    for (const QString &line : m_symptoms->toPlainText().split(QLatin1Char('\n'))) {
        if (!line.trimmed().isEmpty())
            symptoms << line.trimmed();
    }
    e.symptoms = symptoms;
    e.cause = m_cause->toPlainText().trimmed();
    e.solution = m_solution->toPlainText().trimmed();
    e.tags = splitList(m_tags->text());
    return e;
}

void KnowledgeEntryForm::setCategories(const QStringList &categories)
{
    const QString current = m_category->currentText();
    m_filling = true;
    m_category->clear();
    m_category->addItems(categories);
    m_category->setCurrentText(current);
    m_filling = false;
}

void KnowledgeEntryForm::setErrors(const QList<KnowledgeFieldError> &errors)
{
    clearErrors();
    QHash<QLabel *, QStringList> texts;
    for (const KnowledgeFieldError &e : errors)
        texts[m_errors.value(e.field, m_general)] << e.message;
    for (auto it = texts.constBegin(); it != texts.constEnd(); ++it) {
        it.key()->setText(it.value().join(QLatin1Char('\n')));
        it.key()->setVisible(true);
    }
}

void KnowledgeEntryForm::clearErrors()
{
    for (QLabel *label : std::as_const(m_errors)) {
        label->clear();
        label->hide();
    }
}

QString KnowledgeEntryForm::errorText(const QString &field) const
{
    const QLabel *label = m_errors.value(field);
    return label && label->isVisibleTo(this) ? label->text() : QString();
}
