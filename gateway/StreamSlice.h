#pragma once

#include "RequestSnapshot.h"

#include <QByteArray>
#include <QByteArrayList>

namespace portico {

// What a request has said so far, from a given chunk on: SessionRegistry::streamSince(). The
// chunks are the raw `chat.completion.chunk` JSONs as relayed; a non-streamed answer comes as
// its whole `chat.completion` instead. Shared byte arrays: copying is cheap.
struct StreamSlice
{
    bool found = false;
    RequestSnapshot request;
    int from = 0;              // the index of chunks.first() among all of the request's chunks
    QByteArrayList chunks;     // chunks [from, from + chunks.size())
    QByteArray completionJson; // a non-streamed answer, once the request ended
    bool truncated = false;    // the registry did not keep all of the output (memory budget)
};

} // namespace portico
