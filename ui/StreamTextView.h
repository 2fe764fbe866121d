#pragma once

#include "CompletionAssembler.h"
#include "RequestSnapshot.h"

#include <QList>
#include <QPlainTextEdit>
#include <QTextCharFormat>

namespace portico {

class SessionRegistry;

// The output of one request as it arrives: reasoning, the answer and each tool call in their own
// labelled, differently styled sections. Only the request on show is assembled (from the raw
// chunks the registry keeps), and only the chunks that are new since the last look; sections
// grow in place, so a long answer costs no more per update than what arrived.
class StreamTextView : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit StreamTextView(QWidget *parent = nullptr);

    // Shows `requestId` from `registry` (an empty id clears the view).
    void showRequest(SessionRegistry *registry, const QString &requestId);
    QString requestId() const { return m_requestId; }
    // The text of a section: "reasoning", "content" or "tool:<index>"; empty if none.
    QString sectionText(const QString &id) const;
    bool isTruncated() const { return m_truncated; }

public slots:
    // Takes in what arrived since the last call.
    void refresh();

signals:
    // After each refresh, with the request's latest numbers.
    void requestUpdated(const portico::RequestSnapshot &request);

private:
    struct Section
    {
        QString id;
        QString label;
        QString text;
        int start = 0; // where its label begins in the document
        QTextCharFormat labelFormat;
        QTextCharFormat textFormat;
        int length() const { return int(label.size() + text.size()) + 1; }
    };

    void render();
    void place(Section wanted, qsizetype index);
    void shiftAfter(qsizetype index, int delta);
    Section makeSection(const QString &id, const QString &label, const QString &text) const;

    SessionRegistry *m_registry = nullptr;
    QString m_requestId;
    CompletionAssembler m_assembler;
    int m_from = 0;
    bool m_completionSeen = false;
    bool m_truncated = false;
    QList<Section> m_sections; // in display order
};

} // namespace portico
