package io.imgstore.service.align;

import io.imgstore.format.Image;
import io.imgstore.format.PixelType;
import io.imgstore.format.codec.ImageOps;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames of several stores next to each other, left to right in store order: heights padded with
 * black at the bottom; gray frames made BGR when any is colour; 16-bit kept only when all are.
 */
final class SideBySide {

    private SideBySide() {
    }

    static Image concat(List<Image> images) {
        boolean color = images.stream().anyMatch(Image::isColor);
        boolean all16 = images.stream().allMatch(i -> i.pixelType() == PixelType.UINT16);
        List<Image> parts = new ArrayList<>();
        int height = 0;
        int width = 0;
        for (Image i : images) {
            Image p = all16 ? i : i.toEightBit();
            p = color ? ImageOps.toBgr(p) : p;
            parts.add(p);
            height = Math.max(height, p.height());
            width = Math.addExact(width, p.width());
        }
        PixelType type = all16 ? PixelType.UINT16 : PixelType.UINT8;
        int channels = color ? 3 : 1;
        int px = channels * type.bytes();
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(height, width), px)];
        int x0 = 0;
        for (Image p : parts) {
            int rowBytes = p.width() * px;
            for (int y = 0; y < p.height(); y++) {
                System.arraycopy(p.data(), y * rowBytes, out, (y * width + x0) * px, rowBytes);
            }
            x0 += p.width();
        }
        return new Image(height, width, channels, type, out);
    }
}
