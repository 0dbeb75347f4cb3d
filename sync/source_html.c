/* source_html.c - HTML descriptions to the plain text the content format holds, with
 * libxml2's HTML parser (it copes with the tag soup sources publish; a hand-written
 * stripper would not). */
#include "source_impl.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <string.h>

typedef struct out {
    char *buf;
    size_t len, cap;
    int space;   /* a space is due before the next word */
    int brk;     /* line breaks due: 1 line, 2 paragraph */
    int oom;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (o->oom)
        return;
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 256;
        while (cap < o->len + n + 1)
            cap *= 2;
        char *nb = kc_realloc(o->buf, cap);
        if (!nb) {
            o->oom = 1;
            return;
        }
        o->buf = nb;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static void word_start(out *o)
{
    if (o->len && o->brk)
        put(o, "\n\n", (size_t)o->brk);
    else if (o->len && o->space)
        put(o, " ", 1);
    o->brk = o->space = 0;
}

static void text(out *o, const char *s)
{
    while (*s) {
        size_t n = strcspn(s, " \t\r\n\f\v");
        if (n) {
            word_start(o);
            put(o, s, n);
            s += n;
        }
        if (*s) {
            o->space = 1;
            s++;
        }
    }
}

static int is_block(const char *n)
{
    static const char *const blocks[] = {
        "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr",
        "blockquote", "section", "article", "header", "footer", "dl", "dt", "dd", "pre",
        NULL,
    };
    for (int i = 0; blocks[i]; i++)
        if (strcmp(n, blocks[i]) == 0)
            return 1;
    return 0;
}

static void walk(out *o, xmlNode *n, int depth)
{
    /* libxml2 bounds the tree's depth itself; this guard keeps our stack bounded too. */
    if (depth > 256)
        return;
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                text(o, (const char *)n->content);
            continue;
        }
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)n->name;
        if (strcmp(name, "script") == 0 || strcmp(name, "style") == 0)
            continue;
        if (strcmp(name, "br") == 0) {
            if (o->len && o->brk < 1)
                o->brk = 1;
            continue;
        }
        int block = is_block(name) && strcmp(name, "li") != 0;
        if (block && o->len)
            o->brk = 2;
        if (strcmp(name, "li") == 0) {
            if (o->len && o->brk < 1)
                o->brk = 1;
            word_start(o);
            put(o, "\xe2\x80\xa2 ", 4);  /* a bullet */
        }
        walk(o, n->children, depth + 1);
        if (block && o->len)
            o->brk = 2;
    }
}

kc_err src_html_text(const char *html, char **res, char *msg)
{
    out o = { 0 };
    *res = NULL;
    size_t len = strlen(html);
    if (len > (size_t)INT32_MAX)
        return kc_fail(msg, KC_ETOOBIG, "HTML text too long");
    htmlDocPtr doc = NULL;
    if (len) {
        doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                             HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
        if (!doc)
            return kc_fail(msg, KC_EINVAL, "HTML text could not be parsed");
        walk(&o, xmlDocGetRootElement(doc), 0);
        xmlFreeDoc(doc);
    }
    if (!o.oom && !o.buf)
        put(&o, "", 0);
    if (o.oom) {
        kc_free(o.buf);
        return kc_fail(msg, KC_ENOMEM, "out of memory");
    }
    *res = o.buf;
    return KC_OK;
}
