"""Framework-free reading, checking and reporting of analysis workbooks (`gongsheng analyze`)."""
