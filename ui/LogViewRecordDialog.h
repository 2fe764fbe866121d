#pragma once

#include "LogRecord.h"

#include <QDialog>

class QTextBrowser;
class QPlainTextEdit;

namespace portico {

// One session log record in full: its metadata, the request's messages and the response
// (reasoning, answer, tool calls) as a readable exchange, and the record's JSON.
class LogViewRecordDialog : public QDialog
{
    Q_OBJECT
public:
    LogViewRecordDialog(const LogRecord &record, const QString &gatewayBaseUrl,
                        QWidget *parent = nullptr);

    // The exchange as HTML (what the first tab shows).
    static QString exchangeHtml(const LogRecord &record);

    QTextBrowser *exchangeView() const { return m_exchange; }
    QPlainTextEdit *jsonView() const { return m_json; }

private:
    LogRecord m_record;
    QString m_baseUrl;
    QTextBrowser *m_exchange;
    QPlainTextEdit *m_json;
};

} // namespace portico
