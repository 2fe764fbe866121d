#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <initializer_list>
#include <optional>

namespace portico {

// Byte-level edits of a JSON object that leave every other byte as the client sent it: a relay
// keeps unknown fields, number spellings and key order exactly, and pays no re-serialisation.
// The input must already be known to be a valid JSON object.
namespace JsonSplice {

// Replaces the value of a top-level key with `valueJson` (which must be valid JSON). Returns
// nullopt if the key is not present at the top level.
std::optional<QByteArray> replaceTopLevelValue(const QByteArray &json, QByteArrayView key,
                                               const QByteArray &valueJson);

// The raw text of a key's value in the JSON object `json` (only that object's own keys), or
// nothing. Works on any object text, so lookups can be chained.
std::optional<QByteArrayView> objectValue(QByteArrayView json, QByteArrayView key);
// The values of several keys in one pass over `json`: values[i] gets the raw text of keys[i]
// (its first occurrence) and stays empty if it is absent. False if `json` is not an object.
bool objectValues(QByteArrayView json, std::initializer_list<QByteArrayView> keys,
                  std::optional<QByteArrayView> *values);
// The raw text of element `index` of the JSON array `json`, or nothing.
std::optional<QByteArrayView> arrayElement(QByteArrayView json, qsizetype index);
// The array's first element and whatever follows it (its end is not looked for): enough for
// objectValue() on it, which stops at the element's closing brace, without a walk over it first.
std::optional<QByteArrayView> firstElementOnwards(QByteArrayView json);

// Encodes a string as a JSON string literal, quotes included.
QByteArray quote(const QString &text);

} // namespace JsonSplice
} // namespace portico
