/* tui/actions.h: every user action, once (tig's REQ_INFO).  The help
 * screen, the config file parser, the key dispatcher and read-only gating
 * all read this table.  Columns: id, name (for the config file), default
 * keys (space separated, see keys.h for names), whether it writes data,
 * help text. */
#ifndef DDTREE_TUI_ACTIONS_H
#define DDTREE_TUI_ACTIONS_H

#include <stdbool.h>

#define ACTIONS(X) \
	X(ACT_DOWN,        "move-down",      "j <Down> <C-n>",  false, "move down") \
	X(ACT_UP,          "move-up",        "k <Up> <C-p>",    false, "move up") \
	X(ACT_PAGE_DOWN,   "page-down",      "<PgDn> <C-f> <Space>", false, "page down") \
	X(ACT_PAGE_UP,     "page-up",        "<PgUp> <C-b>",    false, "page up") \
	X(ACT_FIRST,       "first",          "g <Home>",        false, "first line (tree: first of the group; again: first line)") \
	X(ACT_LAST,        "last",           "G <End>",         false, "last line, loading every page (tree: last of the group; again: last line)") \
	X(ACT_ENTER,       "open",           "<Enter> l <Right>", false, "open / expand the selected line") \
	X(ACT_BACK,        "back",           "h <Left> <Backspace>", false, "collapse / go back") \
	X(ACT_NEXT_PANE,   "next-pane",      "<Tab>",           false, "switch between the tree and the list") \
	X(ACT_ZOOM,        "zoom",           "z",               false, "the focused pane alone, full width, and back (narrow screens: both panes)") \
	X(ACT_ESCAPE,      "escape",         "<Esc>",           false, "clear the filter, else cancel a load or close the overlay") \
	X(ACT_FILTER,      "filter",         "/",               false, "filter the list as you type") \
	X(ACT_NEXT_MATCH,  "next-match",     "n",               false, "next line matching the filter") \
	X(ACT_PREV_MATCH,  "prev-match",     "N",               false, "previous line matching the filter") \
	X(ACT_COMMAND,     "command",        ":",               false, "command line (:help lists commands)") \
	X(ACT_RELOAD,      "reload",         "R <F5>",          false, "reload (and retry after an error)") \
	X(ACT_RAW,         "raw",            "r",               false, "toggle the raw DynamoDB JSON of the item") \
	X(ACT_COPY_ID,     "copy-id",        "y",               false, "copy the id (OSC 52)") \
	X(ACT_COPY_JSON,   "copy-json",      "Y",               false, "copy the item as JSON (OSC 52)") \
	X(ACT_FB_EDIT,     "feedback-edit",  "e",               true,  "edit the feedback of the selected step") \
	X(ACT_FB_UP,       "feedback-up",    "+",               true,  "set thumbs up on the selected step") \
	X(ACT_FB_DOWN,     "feedback-down",  "-",               true,  "set thumbs down on the selected step") \
	X(ACT_FB_DELETE,   "feedback-delete","D",               true,  "delete the feedback of the selected step") \
	X(ACT_FB_NEXT,     "next-feedback",  "]",               false, "next step with feedback") \
	X(ACT_FB_PREV,     "prev-feedback",  "[",               false, "previous step with feedback") \
	X(ACT_FB_NEXT_NONE,"next-no-feedback","}",              false, "next step without feedback") \
	X(ACT_CHECK,       "check",          "!",               false, "the integrity report (:check)") \
	X(ACT_MESSAGES,    "messages",       "M",               false, "the message log: every message in full, newest last") \
	X(ACT_HELP,        "help",           "? <F1>",          false, "this help") \
	X(ACT_REDRAW,      "redraw",         "<C-l>",           false, "redraw the screen") \
	X(ACT_QUIT,        "quit",           "q",               false, "quit (from an overlay: close it)")

enum action {
#define ACT_X_ENUM(id, name, keys, writes, help) id,
	ACTIONS(ACT_X_ENUM)
#undef ACT_X_ENUM
	ACT_COUNT,
	ACT_NONE = -1
};

struct action_info {
	const char *name, *keys, *help;
	bool writes;
};

extern const struct action_info action_info[ACT_COUNT];

/* The action named `name` (config file spelling), or ACT_NONE. */
enum action action_by_name(const char *name);

#endif
