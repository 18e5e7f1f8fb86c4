// libxlsxwriter (Debian's libxlsxwriter-dev): writes Excel .xlsx workbooks with native charts.
#include <xlsxwriter.h>
