#pragma once

#include <QJsonArray>
#include <QString>

namespace portico {

// Renders an OpenAI `messages` array as the one prompt text a CLI agent reads.
//
// A conversation of a single user message is sent as that message's text, unchanged. Anything
// else becomes role-labelled turns separated by a blank line, in order:
//
//   [System]
//   You are terse.
//
//   [User]
//   What is 2+2?
//
//   [Assistant]
//   4
//
//   [User]
//   And 3+3?
//
// Labels: [System] (system and developer messages), [User], [Assistant], [Tool result <id>]
// (tool messages). Content arrays contribute their text parts; other parts (images, audio,
// files) become "[image omitted]" / "[<type> omitted]". Assistant tool calls are listed as
// "[Tool call <id>] <name>(<arguments>)". A message's `name`, when present, follows the label:
// "[User alice]".
class CliPrompt
{
public:
    static QString render(const QJsonArray &messages);
};

} // namespace portico
