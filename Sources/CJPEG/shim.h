// libjpeg reports fatal errors by calling error_exit, whose default ends the process. These
// wrappers install an error_exit that longjmps back into the same C function, so every
// setjmp/longjmp pair stays inside C and Swift sees a return code and a message.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>

struct cjpeg_error_manager {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

static void cjpeg_error_exit(j_common_ptr info) {
    struct cjpeg_error_manager *manager = (struct cjpeg_error_manager *)info->err;
    (*info->err->format_message)(info, manager->message);
    longjmp(manager->jump, 1);
}

// Warnings (e.g. a truncated but decodable file) are not fatal; stay quiet.
static void cjpeg_output_message(j_common_ptr info) { (void)info; }

/// Decodes a JPEG held in memory to packed 8-bit RGB. On success *pixels is malloc'ed (free
/// it) and 1 is returned; on failure 0 and `message` holds libjpeg's reason.
static inline int cjpeg_decode_rgb(const unsigned char *data, unsigned long size, unsigned char **pixels,
                                   unsigned *width, unsigned *height, char *message, size_t messageSize) {
    struct jpeg_decompress_struct info;
    struct cjpeg_error_manager manager;
    unsigned char *volatile buffer = NULL;
    *pixels = NULL;
    info.err = jpeg_std_error(&manager.base);
    manager.base.error_exit = cjpeg_error_exit;
    manager.base.output_message = cjpeg_output_message;
    manager.message[0] = 0;
    if (setjmp(manager.jump)) {
        jpeg_destroy_decompress(&info);
        free(buffer);
        snprintf(message, messageSize, "%s", manager.message);
        return 0;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, size);
    jpeg_read_header(&info, TRUE);
    info.out_color_space = JCS_RGB;
    jpeg_start_decompress(&info);
    size_t rowBytes = (size_t)info.output_width * 3;
    buffer = malloc(rowBytes * info.output_height);
    if (buffer == NULL) {
        jpeg_destroy_decompress(&info);
        snprintf(message, messageSize, "out of memory");
        return 0;
    }
    while (info.output_scanline < info.output_height) {
        unsigned char *row = buffer + rowBytes * info.output_scanline;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    *width = info.output_width;
    *height = info.output_height;
    jpeg_destroy_decompress(&info);
    *pixels = buffer;
    return 1;
}

/// Encodes packed 8-bit RGB as a JPEG in memory (*output malloc'ed by libjpeg: free it).
static inline int cjpeg_encode_rgb(const unsigned char *pixels, unsigned width, unsigned height, int quality,
                                   unsigned char **output, unsigned long *outputSize, char *message, size_t messageSize) {
    struct jpeg_compress_struct info;
    struct cjpeg_error_manager manager;
    *output = NULL;
    *outputSize = 0;
    info.err = jpeg_std_error(&manager.base);
    manager.base.error_exit = cjpeg_error_exit;
    manager.base.output_message = cjpeg_output_message;
    if (setjmp(manager.jump)) {
        jpeg_destroy_compress(&info);
        snprintf(message, messageSize, "%s", manager.message);
        return 0;
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, output, outputSize);
    info.image_width = width;
    info.image_height = height;
    info.input_components = 3;
    info.in_color_space = JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    jpeg_start_compress(&info, TRUE);
    while (info.next_scanline < info.image_height) {
        const unsigned char *row = pixels + (size_t)info.next_scanline * width * 3;
        jpeg_write_scanlines(&info, (JSAMPARRAY)&row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    return 1;
}
