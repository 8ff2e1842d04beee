// libpng's simplified API (png_image_*) reports errors through return codes and the image's
// message field, so no setjmp crosses into Swift. These wrappers only fix the format to 8-bit
// RGB and hide the function-like size macros, which Swift cannot import.
#include <png.h>
#include <stdlib.h>
#include <string.h>

/// Decodes a PNG held in memory to packed 8-bit RGB (alpha composited onto black, palettes and
/// grey expanded). On success *pixels is malloc'ed (free it) and 1 is returned; on failure 0
/// and `message` holds libpng's reason.
static inline int cpng_decode_rgb(const void *data, size_t size, unsigned char **pixels,
                                  unsigned *width, unsigned *height, char *message, size_t messageSize) {
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    *pixels = NULL;
    if (!png_image_begin_read_from_memory(&image, data, size)) {
        snprintf(message, messageSize, "%s", image.message);
        return 0;
    }
    image.format = PNG_FORMAT_RGB;
    size_t bytes = PNG_IMAGE_SIZE(image);
    unsigned char *buffer = malloc(bytes);
    if (buffer == NULL) {
        png_image_free(&image);
        snprintf(message, messageSize, "out of memory for %zu bytes", bytes);
        return 0;
    }
    if (!png_image_finish_read(&image, NULL, buffer, 0, NULL)) {
        snprintf(message, messageSize, "%s", image.message);
        free(buffer);
        return 0;
    }
    *pixels = buffer;
    *width = image.width;
    *height = image.height;
    return 1;
}

/// Writes packed 8-bit RGB rows to a PNG file; returns 1 on success, else 0 with a message.
static inline int cpng_write_rgb(const char *path, const unsigned char *pixels, unsigned width, unsigned height,
                                 char *message, size_t messageSize) {
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    image.width = width;
    image.height = height;
    image.format = PNG_FORMAT_RGB;
    if (!png_image_write_to_file(&image, path, 0, pixels, 0, NULL)) {
        snprintf(message, messageSize, "%s", image.message);
        return 0;
    }
    return 1;
}
