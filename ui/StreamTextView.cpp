#include "StreamTextView.h"

#include "SessionRegistry.h"

#include <QFontDatabase>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScrollBar>
#include <QTextCursor>

namespace portico {

namespace {

QString plain(QString text)
{
    text.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    text.replace(QLatin1Char('\r'), QLatin1Char('\n'));
    return text;
}

// A whole `chat.completion` as one chunk, so a non-streamed answer is shown the same way.
QJsonObject chunkFromCompletion(const QByteArray &completionJson)
{
    const QJsonObject completion = QJsonDocument::fromJson(completionJson).object();
    const QJsonObject choice =
        completion.value(QStringLiteral("choices")).toArray().first().toObject();
    QJsonObject delta = choice.value(QStringLiteral("message")).toObject();
    QJsonArray calls = delta.value(QStringLiteral("tool_calls")).toArray();
    for (qsizetype i = 0; i < calls.size(); ++i) {
        QJsonObject call = calls.at(i).toObject();
        call[QStringLiteral("index")] = int(i);
        calls[i] = call;
    }
    if (!calls.isEmpty())
        delta[QStringLiteral("tool_calls")] = calls;
    QJsonObject chunk{{QStringLiteral("choices"),
                       QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                              {QStringLiteral("delta"), delta},
                                              {QStringLiteral("finish_reason"),
                                               choice.value(QStringLiteral("finish_reason"))}}}}};
    if (completion.contains(QStringLiteral("usage")))
        chunk[QStringLiteral("usage")] = completion.value(QStringLiteral("usage"));
    return chunk;
}

} // namespace

StreamTextView::StreamTextView(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setUndoRedoEnabled(false);
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    setPlaceholderText(tr("Select a request to see what it says."));
}

void StreamTextView::showRequest(SessionRegistry *registry, const QString &requestId)
{
    if (registry == m_registry && requestId == m_requestId)
        return;
    m_registry = registry;
    m_requestId = requestId;
    m_assembler = CompletionAssembler();
    m_from = 0;
    m_completionSeen = false;
    m_truncated = false;
    m_sections.clear();
    clear();
    refresh();
}

QString StreamTextView::sectionText(const QString &id) const
{
    for (const Section &s : m_sections) {
        if (s.id == id)
            return s.text;
    }
    return {};
}

void StreamTextView::refresh()
{
    if (!m_registry || m_requestId.isEmpty())
        return;
    const StreamSlice slice = m_registry->streamSince(m_requestId, m_from);
    if (!slice.found)
        return;
    bool grew = false;
    for (const QByteArray &chunk : slice.chunks)
        m_assembler.add(chunk);
    m_from += int(slice.chunks.size());
    grew = !slice.chunks.isEmpty();
    if (!slice.completionJson.isEmpty() && m_assembler.isEmpty() && !m_completionSeen) {
        m_completionSeen = true;
        m_assembler.add(chunkFromCompletion(slice.completionJson));
        grew = true;
    }
    m_truncated = slice.truncated;
    if (grew)
        render();
    emit requestUpdated(slice.request);
}

StreamTextView::Section StreamTextView::makeSection(const QString &id, const QString &label,
                                                    const QString &text) const
{
    Section s;
    s.id = id;
    s.label = label + QLatin1Char('\n');
    s.text = plain(text);
    s.labelFormat.setFontWeight(QFont::Bold);
    s.labelFormat.setFontPointSize(font().pointSizeF() * 0.85);
    if (id == QLatin1String("reasoning")) {
        const QColor dim = palette().color(QPalette::PlaceholderText);
        s.labelFormat.setForeground(dim);
        s.textFormat.setForeground(dim);
        s.textFormat.setFontItalic(true);
    } else if (id.startsWith(QLatin1String("tool:"))) {
        const QColor tool(0x1a, 0x6f, 0xb5);
        s.labelFormat.setForeground(tool);
        s.textFormat.setForeground(tool);
        s.textFormat.setFontFamilies(
            {QFontDatabase::systemFont(QFontDatabase::FixedFont).family()});
    } else {
        s.labelFormat.setForeground(palette().color(QPalette::PlaceholderText));
    }
    return s;
}

void StreamTextView::render()
{
    const QJsonObject message = m_assembler.message();
    QList<Section> wanted;
    const QString reasoning = message.value(QStringLiteral("reasoning_content")).toString();
    if (!reasoning.isEmpty())
        wanted.append(makeSection(QStringLiteral("reasoning"), tr("Reasoning"), reasoning));
    const QString content = message.value(QStringLiteral("content")).toString();
    if (!content.isEmpty())
        wanted.append(makeSection(QStringLiteral("content"), tr("Answer"), content));
    const QJsonArray calls = message.value(QStringLiteral("tool_calls")).toArray();
    for (qsizetype i = 0; i < calls.size(); ++i) {
        const QJsonObject function =
            calls.at(i).toObject().value(QStringLiteral("function")).toObject();
        wanted.append(
            makeSection(QStringLiteral("tool:%1").arg(i),
                        tr("Tool call: %1").arg(function.value(QStringLiteral("name")).toString()),
                        function.value(QStringLiteral("arguments")).toString()));
    }

    QScrollBar *bar = verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum() - 4;
    // Sections only ever appear and grow, and `wanted` is in display order.
    for (qsizetype i = 0; i < wanted.size(); ++i)
        place(wanted.at(i), i);
    if (atBottom)
        bar->setValue(bar->maximum());
}

void StreamTextView::shiftAfter(qsizetype index, int delta)
{
    for (qsizetype j = index + 1; j < m_sections.size(); ++j)
        m_sections[j].start += delta;
}

void StreamTextView::place(Section wanted, qsizetype index)
{
    QTextCursor cursor(document());
    if (index >= m_sections.size() || m_sections.at(index).id != wanted.id) {
        // A new section: before the one now at `index`, or at the end.
        wanted.start = index < m_sections.size() ? m_sections.at(index).start
                                                 : document()->characterCount() - 1;
        cursor.setPosition(wanted.start);
        cursor.insertText(wanted.label, wanted.labelFormat);
        cursor.insertText(wanted.text, wanted.textFormat);
        cursor.insertText(QStringLiteral("\n"), QTextCharFormat());
        m_sections.insert(index, wanted);
        shiftAfter(index, wanted.length());
        return;
    }
    Section &have = m_sections[index];
    if (have.label == wanted.label && have.text == wanted.text)
        return;
    const int before = have.length();
    const int textStart = have.start + int(have.label.size());
    if (have.label == wanted.label && wanted.text.startsWith(have.text)) {
        cursor.setPosition(textStart + int(have.text.size()));
        cursor.insertText(wanted.text.mid(have.text.size()), have.textFormat);
    } else {
        cursor.setPosition(have.start);
        cursor.setPosition(have.start + before - 1, QTextCursor::KeepAnchor);
        cursor.removeSelectedText();
        cursor.insertText(wanted.label, wanted.labelFormat);
        cursor.insertText(wanted.text, wanted.textFormat);
    }
    have.label = wanted.label;
    have.text = wanted.text;
    shiftAfter(index, have.length() - before);
}

} // namespace portico
