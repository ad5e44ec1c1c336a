package org.grpcetcd.agent.cli;

import java.util.ArrayList;
import java.util.List;
import org.grpcetcd.agent.etcd.EtcdClient;
import org.grpcetcd.agent.etcd.KeyValue;
import org.grpcetcd.agent.etcd.RangeResult;

/**
 * Every key under a prefix, read a page at a time so that a large shared etcd (or the whole key space, for
 * {@code list} without a service) is never sent in one answer; every page is read at the first page's revision,
 * so the pages add up to one consistent picture.
 */
final class PagedRange {
    static final int PAGE_SIZE = 100;

    private PagedRange() {
    }

    static RangeResult read(EtcdClient etcd, String prefix) {
        RangeResult page = etcd.rangePage(prefix, prefix, PAGE_SIZE, 0);
        long revision = page.revision();
        List<KeyValue> all = new ArrayList<>(page.keyValues());
        while (page.keyValues().size() == PAGE_SIZE) {
            String last = page.keyValues().get(PAGE_SIZE - 1).key();
            page = etcd.rangePage(prefix, last + "\0", PAGE_SIZE, revision); // the first key after the last one
            all.addAll(page.keyValues());
        }
        return new RangeResult(revision, all);
    }
}
