package io.imgstore.service.read;

import java.util.List;

/** A page of the store listing and how many stores matched in all. */
record StorePage(List<StoreListItem> items, int total, int offset, int limit) {
}
