// SPDX-License-Identifier: GPL-3.0-or-later
// Hand-written LLM caches: docs/FORMATS.md, "Hand-written LLM caches".
#include "entries/cacheformats.h"
#include "entries/formatcolumns.h"

using namespace Qt::Literals::StringLiterals;
using namespace FormatColumns;

namespace {

// The common hand-written LLM cache: a key, the prompt, the model, the response and when it was
// stored, under any table name (e.g. analysis_cache(cache_key, model, prompt, response, created_at)).
bool isLlmCache(const TableSchema& schema)
{
    return !firstNamed(schema, { u"cache_key"_s, u"key"_s, u"prompt_hash"_s, u"hash"_s }).isEmpty()
        && !firstNamed(schema, { u"prompt"_s }).isEmpty() && !firstNamed(schema, { u"model"_s }).isEmpty()
        && !firstNamed(schema, { u"response"_s, u"completion"_s, u"result"_s }).isEmpty()
        && !firstNamed(schema, { u"created_at"_s, u"created"_s, u"timestamp"_s, u"ts"_s }).isEmpty();
}

QList<EntryColumn> llmCacheColumns(const TableSchema& schema)
{
    const QString created = firstNamed(schema, { u"created_at"_s, u"created"_s, u"timestamp"_s, u"ts"_s });
    const auto* createdColumn = schema.column(created);
    const bool text = createdColumn && createdColumn->type.contains(u"TEXT"_s, Qt::CaseInsensitive);
    EntryColumn createdEntry = col(u"created"_s, q(created), Role::Created, 0);
    createdEntry.decode = text ? EntryColumn::Decode::IsoTime : EntryColumn::Decode::EpochTime;
    const QString response = firstNamed(schema, { u"response"_s, u"completion"_s, u"result"_s });
    EntryColumn prompt = col(u"prompt"_s, q(firstNamed(schema, { u"prompt"_s })), Role::Other);
    prompt.searched = true; // the key is a hash of it: the prompt is what people search for
    return { col(u"key"_s, q(firstNamed(schema, { u"cache_key"_s, u"key"_s, u"prompt_hash"_s, u"hash"_s })), Role::Key),
        col(u"model"_s, q(firstNamed(schema, { u"model"_s })), Role::Model, 0), prompt,
        col(u"response"_s, q(response), Role::Value), col(u"size"_s, byteLength(q(response)), Role::Size, 0),
        createdEntry };
}

class LlmCacheFormat final : public CacheFormat {
public:
    QString id() const override { return u"llm-cache"_s; }
    bool recognises(const TableSchema& schema, const QStringList&) const override { return isLlmCache(schema); }
    std::optional<QList<EntryColumn>> columns(const TableSchema& schema, const QStringList&) const override
    {
        return llmCacheColumns(schema);
    }
    bool isMainTable(const QString&) const override { return true; }
    QString searchedAs() const override { return u"key / prompt"_s; }
    QString shownColumnNote(const QString& column) const override
    {
        return column == u"size"_s ? u"the response, "_s + utf8BytesNote() : QString();
    }
};

} // namespace

const CacheFormat& Formats::llmCache()
{
    static const LlmCacheFormat format;
    return format;
}
