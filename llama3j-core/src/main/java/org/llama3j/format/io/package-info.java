/** File output shared by the format writers: atomic replace (temp file, fsync, rename). */
package org.llama3j.format.io;
