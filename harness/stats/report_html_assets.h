/* report_html_assets.h - report.html's script and style sheet, embedded in
 * the program at build time from harness/stats/report_html.js and
 * report_html.css (scripts/embed-text writes build/gen/report_html_assets.c). */
#ifndef TB_REPORT_HTML_ASSETS_H
#define TB_REPORT_HTML_ASSETS_H

extern const char report_html_js[];
extern const char report_html_css[];

#endif
